/**
 * Starting one network from its plan, as a transaction: refuse a bridge name that is taken; write
 * the start intent; run the steps (rolling back on failure or a signal); after success write the
 * journal, then drop the intent. The journal exists only for a network that fully started.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

import type { Plan } from '../../core/model/plan'
import { applyPlan, messageOf, undoFor } from '../apply-plan'
import type { HelperValue } from '../../contract/helper-protocol'
import { HelperError } from '../../contract/helper-protocol'
import { readPidfile } from '../run/dnsmasq-process'
import { removePathSync, writeFileAtomicSync } from '../../store/safe-fs'
import type { JournalContext } from '../state/journal'
import { formatJournal, journalFromPlan, pidfileOfPlan } from '../state/journal'
import type { OpsDeps } from './deps'
import { removeNetworkDir } from './teardown'

export type StartValue = Omit<HelperValue<'start'>, 'repaired' | 'warnings' | 'resolved'>

/** Programs (not built-ins) a plan runs, deduplicated. */
export function programsOf(plan: Plan): string[] {
  const names = new Set<string>()
  for (const s of plan.steps)
    for (const argv of [...s.apply, ...s.rollback]) if (!argv[0].startsWith('@')) names.add(argv[0])
  return [...names]
}

/**
 * What each step of a start really needs (core/plan/build-plan.ts makes them in this order: files,
 * bridge, firewall, sysctls, dnsmasq). The firewall loads while the bridge is made: its rules name
 * the bridge (iifname/oifname, the interface group), nft needs nothing the bridge step makes.
 * dnsmasq needs its files and the bridge with its addresses, not the firewall. Forwarding (the
 * sysctls step) is switched on only once the firewall is loaded and the bridge is there.
 */
export const START_AFTER: Readonly<Record<string, readonly string[]>> = {
  bridge: ['files'],
  firewall: ['files'],
  sysctls: ['files', 'bridge', 'firewall'],
  dnsmasq: ['files', 'bridge']
}

export function bridgeTakenError(bridge: string, network: string): HelperError {
  return new HelperError(
    'BRIDGE_TAKEN',
    `bridge ${bridge} already exists (not created by guestnet): network '${network}' cannot use it`,
    {
      field: 'bridge.name',
      fix: `give '${network}' another <bridge name=…/>, or remove the interface (ip link del ${bridge}) if nothing uses it; if a crashed guestnet left it, run guestnet reconcile`
    }
  )
}

export async function applyStart(plan: Plan, uuid: string | null, deps: OpsDeps): Promise<StartValue> {
  const name = plan.network
  const { paths } = deps
  deps.checkPrograms(programsOf(plan))
  // Only a plan that makes the bridge needs its name free (a host-bridge plan joins the host's).
  if (plan.steps.some((s) => s.id === 'bridge') && deps.interfaces().has(plan.bridge))
    throw bridgeTakenError(plan.bridge, name)

  mkdirSync(paths.networkDir(name), { recursive: true, mode: 0o755 })
  mkdirSync(dirname(paths.leasesFile(name)), { recursive: true, mode: 0o755 })
  const ctx: JournalContext = { uuid, netns: deps.netns, nsId: deps.nsId, now: deps.now() }
  // Before the first step, so a crash at any point leaves a record of what may exist.
  writeFileAtomicSync(paths.intent(name), formatJournal(journalFromPlan('intent', plan, undoFor(plan.steps), ctx)))

  const out = await applyPlan(plan.steps, deps.runnerFor(name, plan.artifacts), {
    network: name,
    after: START_AFTER,
    onEvent: (e) => deps.emit(e),
    shouldStop: () => deps.shouldStop(),
    ...(deps.afterStep ? { afterStep: deps.afterStep } : {})
  })
  if (out.ok) {
    const pidfile = pidfileOfPlan(plan)
    const pid = pidfile === null ? null : readPidfile(pidfile)
    writeFileAtomicSync(paths.journal(name), formatJournal(journalFromPlan('journal', plan, out.undo, ctx, pid)))
    removePathSync(paths.intent(name))
    return {
      network: name,
      bridge: plan.bridge,
      state: 'active',
      alreadyActive: false,
      dnsmasqPid: pid,
      message: `network ${name} started (bridge ${plan.bridge})`
    }
  }
  // Rolled back. Keep the intent only if the rollback may have left something, for reconcile to retry.
  if (!out.leftSomething) {
    removePathSync(paths.intent(name))
    removeNetworkDir(name, deps)
  }
  const where = out.failedStep === null ? '' : ` at step '${out.failedStep}'`
  const tail = out.leftSomething
    ? '; some rollback commands failed too (see rollbackErrors): run guestnet reconcile'
    : '; everything it did was rolled back'
  if (out.interrupted) {
    throw new HelperError('INTERRUPTED', `starting network ${name} was interrupted by a signal${tail}`, {
      rollbackErrors: out.rollbackErrors
    })
  }
  const original = out.error
  const code = original instanceof HelperError ? original.code : 'STEP_FAILED'
  throw new HelperError(code, `starting network ${name} failed${where}: ${messageOf(original)}${tail}`, {
    rollbackErrors: out.rollbackErrors,
    ...(original instanceof HelperError && original.fix ? { fix: original.fix } : {})
  })
}
