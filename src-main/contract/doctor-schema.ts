/**
 * The doctor's report as the IPC contract checks it: the same shape as `guestnet doctor --json`
 * (version 1, src-main/doctor/README.md). Check ids are plain strings here so the contract does not
 * depend on the doctor's code.
 */
import { array, boolean, literal, nullable, object, oneOf, string } from './schema'

const argvList = array(array(string()))

/** `all`, a check id (`iptables-drop`) or a finding id (`iptables-drop/ipv4-nft-forward`). */
export const doctorSelector = string({
  min: 1,
  max: 220,
  pattern: /^(all|[a-z-]{1,20}(\/[A-Za-z0-9_.-]{1,200})?)$/,
  patternText: "'all', a check id or a finding id"
})

export const doctorReportSchema = object({
  version: literal(1),
  netns: nullable(string()),
  /** False when something could not be looked at (listed in `unavailable`), e.g. firewall rules without root. */
  complete: boolean(),
  unavailable: array(string()),
  checks: array(
    object({ check: string(), title: string(), status: oneOf(['ok', 'problem', 'skipped']), note: nullable(string()) })
  ),
  findings: array(
    object({
      id: string(),
      check: string(),
      severity: oneOf(['error', 'warning', 'info']),
      title: string(),
      explanation: string(),
      evidence: array(string()),
      fix: nullable(object({ summary: string(), commands: argvList, undo: argvList })),
      advice: nullable(string())
    })
  ),
  /** Fixes the doctor applied and can undo. */
  applied: array(object({ id: string(), check: string(), title: string(), appliedAt: string(), undo: argvList })),
  /** What this call did (fix or undo). */
  actions: array(
    object({
      kind: oneOf(['fix', 'undo']),
      id: string(),
      ok: boolean(),
      message: string(),
      commands: argvList,
      errors: array(string())
    })
  )
})
