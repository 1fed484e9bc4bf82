/**
 * The local authority's word for the test user: a rules file in /etc/polkit-1/rules.d that answers
 * `polkit.Result.YES` or `.NO` for guestnet's action and that user only, or no file (the shipped defaults,
 * auth_admin, apply). polkitd re-reads rules when the directory changes; `pkcheck` (asked for a subject
 * with the test user's uid) tells when the new answer is in force.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs'

import { procStat, runSync, sleepSync } from './exec'
import { ACTION_ID, rulesFile } from './paths'
import type { TestUser } from './test-user'
import { onUndo } from './undo'

export type RuleDecision = 'yes' | 'no'

/** pkcheck's exit codes: authorised, not authorised, needs authentication (no agent here to give it). */
const PKCHECK_CODE: Record<RuleDecision | 'defaults', number> = { yes: 0, no: 1, defaults: 2 }

let registered = false

export function ruleText(user: TestUser, decision: RuleDecision): string {
  const result = decision === 'yes' ? 'YES' : 'NO'
  return [
    `// guestnet's pkexec test (pid ${process.pid}, test/pkexec): removed when the test ends.`,
    'polkit.addRule(function (action, subject) {',
    `  if (action.id == "${ACTION_ID}" && subject.user == "${user.name}") return polkit.Result.${result};`,
    '});',
    ''
  ].join('\n')
}

/** pkcheck's answer for a process of the test user (this process's pid and start time, the user's uid). */
export function pkcheckCode(user: TestUser): number | null {
  const stat = procStat(process.pid)
  if (!stat) throw new Error('cannot read /proc/self/stat')
  const subject = `${process.pid},${stat.startTime},${user.uid}`
  return runSync(['pkcheck', '--action-id', ACTION_ID, '--process', subject], { allowFail: true }).code
}

/** Writes (or with null removes) the rules file, then waits until polkitd answers accordingly. */
export function setRule(user: TestUser, decision: RuleDecision | null): number {
  const file = rulesFile()
  if (!registered) {
    registered = true
    onUndo(`remove ${file}`, () => rmSync(file, { force: true }))
  }
  const started = Date.now()
  if (decision === null) {
    rmSync(file, { force: true })
  } else {
    // polkitd loads only *.rules: the temporary name is never read half-written.
    writeFileSync(`${file}.tmp`, ruleText(user, decision), { mode: 0o644 })
    renameSync(`${file}.tmp`, file)
  }
  const want = PKCHECK_CODE[decision ?? 'defaults']
  let got = pkcheckCode(user)
  while (got !== want) {
    if (Date.now() - started > 10_000) {
      throw new Error(
        `polkitd still answers pkcheck with exit ${String(got)} (want ${want}) 10 s after the rule change`
      )
    }
    sleepSync(50)
    got = pkcheckCode(user)
  }
  return Date.now() - started
}
