/**
 * What the doctor's fixes did, kept in `<runtimeDir>/.doctor-fixes.json` so each can be undone: a
 * list of records, each with the commands that ran and the facts of what they made (fix-facts.ts).
 * Written after every command of a fix, so a crash mid-fix leaves a record of what did happen. Read
 * without following a link; a fact that is not one the doctor makes drops its record's undo.
 */
import { readTextNoFollow, removePathSync, UnsafePathError, writeFileAtomicSync } from '../../store/safe-fs'
import type { FixRecord } from '../model'
import { CHECK_IDS } from '../model'
import { parseFact } from './fix-facts'

export function fixRecordsFile(runtimeDir: string): string {
  return `${runtimeDir}/.doctor-fixes.json`
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')
const isArgvs = (v: unknown): v is string[][] => Array.isArray(v) && v.every(isStrings)

/** Pure: the records in the file's text; entries that are not the doctor's own are dropped. */
export function parseFixRecords(text: string | null): FixRecord[] {
  if (text === null) return []
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return []
  }
  const r = raw as { version?: unknown; fixes?: unknown } | null
  if (r?.version !== 2 || !Array.isArray(r.fixes)) return []
  return r.fixes.flatMap((x): FixRecord[] => {
    const o = x as Partial<Record<keyof FixRecord, unknown>> | null
    if (
      typeof o?.id !== 'string' ||
      typeof o.check !== 'string' ||
      !(CHECK_IDS as readonly string[]).includes(o.check) ||
      typeof o.title !== 'string' ||
      typeof o.appliedAt !== 'string' ||
      !isArgvs(o.commands) ||
      !Array.isArray(o.facts)
    ) {
      return []
    }
    const facts = o.facts.map(parseFact)
    if (facts.some((f) => f === null)) return []
    return [
      {
        id: o.id,
        check: o.check as FixRecord['check'],
        title: o.title,
        appliedAt: o.appliedAt,
        commands: o.commands,
        facts: facts as FixRecord['facts']
      }
    ]
  })
}

export function formatFixRecords(records: readonly FixRecord[]): string {
  return `${JSON.stringify({ version: 2, fixes: records }, null, 2)}\n`
}

export function readFixRecords(runtimeDir: string): FixRecord[] {
  try {
    return parseFixRecords(readTextNoFollow(fixRecordsFile(runtimeDir), 1024 * 1024))
  } catch (e) {
    if (e instanceof UnsafePathError) return []
    throw e
  }
}

export function writeFixRecords(runtimeDir: string, records: readonly FixRecord[]): void {
  const file = fixRecordsFile(runtimeDir)
  if (records.length === 0) removePathSync(file)
  else writeFileAtomicSync(file, formatFixRecords(records), 0o600)
}
