/** Reading a journal or start intent file: absent, readable, or unreadable with the reason. */
import { readTextNoFollow } from '../../store/safe-fs'
import type { Journal } from './journal'
import { parseJournal } from './journal'

export type RecordState = { ok: true; journal: Journal } | { ok: false; reason: string }

export function readRecord(path: string): RecordState | null {
  const text = readTextNoFollow(path)
  if (text === null) return null
  const parsed = parseJournal(text)
  return parsed.ok ? { ok: true, journal: parsed.journal } : { ok: false, reason: parsed.reason }
}
