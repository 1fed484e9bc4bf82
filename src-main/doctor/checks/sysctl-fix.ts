/**
 * A sysctl change as a fix: the helper's one sysctl built-in (core/plan/sysctl-keys.ts rules), held
 * in the namespace's ledger by the fix; undo leaves the ledger, and the value goes back only if no
 * guestnet network still needs it and it is still the one set.
 */
import type { FixCommand } from '../model'

export function sysctlFix(key: string, to: string): FixCommand {
  return { argv: ['@sysctl', key, to], undo: ['@sysctl-restore', key] }
}
