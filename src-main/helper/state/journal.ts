/**
 * A network's record files (core/plan/network-record.ts): the journal `<runtimeDir>/NAME.json` of a
 * running network and the start intent `<runtimeDir>/.NAME.starting.json`. Read without following a
 * link, checked to be this network's own record in this store; a file that does not read is
 * reported with the reason, never taken as absent.
 */
import type { NetworkRecord } from '../../core/plan/network-record'
import { formatRecord, parseRecord } from '../../core/plan/network-record'
import { readTextNoFollow, UnsafePathError, writeFileAtomicSync } from '../../store/safe-fs'

export type RecordState = { ok: true; record: NetworkRecord } | { ok: false; reason: string }

/** A record file's state, or null when there is none. */
export function readRecord(path: string, expect: { network: string; store: string }): RecordState | null {
  let text: string | null
  try {
    text = readTextNoFollow(path, 1024 * 1024)
  } catch (e) {
    if (e instanceof UnsafePathError) return { ok: false, reason: e.message }
    throw e
  }
  if (text === null) return null
  const parsed = parseRecord(text, expect)
  return parsed.ok ? { ok: true, record: parsed.record } : { ok: false, reason: parsed.reason }
}

export function writeRecord(path: string, record: NetworkRecord): void {
  writeFileAtomicSync(path, formatRecord(record), 0o644)
}
