/**
 * What the doctor's fixes did, kept in `<runtimeDir>/.doctor-fixes.json` so each can be undone:
 * a list of records, each with the commands that ran and the undo commands, in the order to run.
 * Written after every command of a fix, so a crash mid-fix leaves a record of what did happen.
 */
import { readTextNoFollow, removePathSync, writeFileAtomicSync } from '../../store/safe-fs'
import type { FixRecord } from '../model'
import { CHECK_IDS } from '../model'

export function fixRecordsFile(runtimeDir: string): string {
  return `${runtimeDir}/.doctor-fixes.json`
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')
const isArgvs = (v: unknown): v is string[][] => Array.isArray(v) && v.every(isStrings)

/** Pure: the records in the file's text; malformed entries are dropped. */
export function parseFixRecords(text: string | null): FixRecord[] {
  if (text === null) return []
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return []
  }
  const list = (raw as { fixes?: unknown } | null)?.fixes
  if (!Array.isArray(list)) return []
  return list.filter((r): r is FixRecord => {
    const o = r as Partial<FixRecord> | null
    return (
      typeof o?.id === 'string' &&
      typeof o.check === 'string' &&
      (CHECK_IDS as readonly string[]).includes(o.check) &&
      typeof o.title === 'string' &&
      typeof o.appliedAt === 'string' &&
      isArgvs(o.commands) &&
      isArgvs(o.undo)
    )
  })
}

export function formatFixRecords(records: readonly FixRecord[]): string {
  return `${JSON.stringify({ version: 1, fixes: records }, null, 2)}\n`
}

export function readFixRecords(runtimeDir: string): FixRecord[] {
  return parseFixRecords(readTextNoFollow(fixRecordsFile(runtimeDir)))
}

export function writeFixRecords(runtimeDir: string, records: readonly FixRecord[]): void {
  const file = fixRecordsFile(runtimeDir)
  if (records.length === 0) removePathSync(file)
  else writeFileAtomicSync(file, formatFixRecords(records), 0o600)
}
