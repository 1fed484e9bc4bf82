/** A sysctl change as a fix: set the new value; undo puts the old one back only if ours is still there. */
import type { FixCommand } from '../model'

export const SYSCTL_SET = '@doctor-sysctl'
export const SYSCTL_RESTORE = '@doctor-sysctl-restore'

export function sysctlFix(key: string, from: string, to: string): FixCommand {
  return { argv: [SYSCTL_SET, key, to], undo: [SYSCTL_RESTORE, key, from, to] }
}
