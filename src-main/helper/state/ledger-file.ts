/**
 * The one reader of a namespace's sysctl ledger file (sysctl-ledger.ts holds the decisions): no
 * symlink followed, a file that does not read reported (never taken as empty), a ledger left by a
 * namespace that is gone (namespace-tag.ts) taken as no ledger at all.
 */
import { readTextNoFollow, UnsafePathError } from '../../store/safe-fs'
import type { NamespaceTag } from './namespace-tag'
import { ledgerBelongsHere } from './namespace-tag'
import type { Ledger } from './sysctl-ledger'
import { parseLedger } from './sysctl-ledger'

export type LedgerRead =
  | {
      ok: true
      ledger: Ledger
      /** There was a file, written in a namespace that is gone: it is overwritten at the next change. */
      stale: boolean
    }
  | { ok: false; reason: string }

const MAX_LEDGER = 1024 * 1024

export function readLedgerFile(file: string, here: NamespaceTag): LedgerRead {
  let text: string | null
  try {
    text = readTextNoFollow(file, MAX_LEDGER)
  } catch (e) {
    if (e instanceof UnsafePathError)
      return { ok: false, reason: `the sysctl ledger ${e.message}: run guestnet reconcile` }
    throw e
  }
  if (text === null) return { ok: true, ledger: {}, stale: false }
  // An untagged namespace never had a ledger of its own: whatever lies at its name is a dead one's.
  if (here.kind === 'untagged') return { ok: true, ledger: {}, stale: true }
  const parsed = parseLedger(text)
  if (!parsed.ok) {
    return {
      ok: false,
      reason: `the sysctl ledger ${file} does not read (${parsed.reason}): run guestnet reconcile, which repairs it`
    }
  }
  if (!ledgerBelongsHere(parsed.namespace, here)) return { ok: true, ledger: {}, stale: true }
  return { ok: true, ledger: parsed.ledger, stale: false }
}
