/**
 * Starting one network from its plan, as a transaction: refuse a bridge name that is taken; write
 * the start intent (the facts of what may come to exist); run the steps, each as soon as the ones it
 * needs are done (the plan's `after`), rolling back on failure or a signal; after success write the
 * journal (the same facts, with dnsmasq's pid and start time), then drop the intent. The journal
 * exists only for a network that fully started.
 */
import type { HelperValue } from '../../contract/helper-protocol'
import { HelperError } from '../../contract/helper-protocol'
import type { Plan } from '../../core/model/plan'
import { networkPaths } from '../../core/plan/network-paths'
import type { RecordContext } from '../../core/plan/network-record'
import { recordOfPlan } from '../../core/plan/network-record'
import { describeOwner } from '../../core/store/store-id'
import { ensureOwnDirs, removePathSync } from '../../store/safe-fs'
import { applyPlan, messageOf } from '../apply-plan'
import { processStartTime, readPidfile } from '../run/dnsmasq-process'
import { writeRecord } from '../state/journal'
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

export function bridgeTakenError(bridge: string, network: string, owner: string, deps: OpsDeps): HelperError {
  const mark = deps.linkMark(bridge)
  const whose =
    mark === null || !mark.inGroup
      ? 'not created by guestnet'
      : mark.alias === owner
        ? 'left by an earlier start of this network'
        : `made by ${describeOwner(mark.alias, deps.store)}`
  return new HelperError(
    'BRIDGE_TAKEN',
    `bridge ${bridge} already exists (${whose}): network '${network}' cannot use it`,
    {
      field: 'bridge.name',
      fix: `give '${network}' another <bridge name=…/>, or remove the interface (ip link del ${bridge}) if nothing uses it; if a crashed guestnet left it, run guestnet reconcile`
    }
  )
}

/** A firewall step refused because a table of the network's name exists: say whose it is. */
async function explainTableClash(plan: Plan, deps: OpsDeps, error: unknown): Promise<string> {
  const text = messageOf(error)
  if (!/File exists/.test(text)) return text
  const marks = await deps.tableMarks().catch(() => [])
  const there = marks.filter((m) => plan.tables.some((t) => t.family === m.family && t.name === m.name))
  if (there.length === 0) return text
  return there
    .map((t) => `nft table ${t.family} ${t.name} already exists, made by ${describeOwner(t.comment, deps.store)}`)
    .join('; ')
}

export async function applyStart(plan: Plan, uuid: string | null, deps: OpsDeps): Promise<StartValue> {
  const name = plan.network
  const { paths } = deps
  deps.checkPrograms(programsOf(plan))
  const makesBridge = plan.steps.some((s) => s.id === 'bridge')
  // Only a plan that makes the bridge needs its name free (a host-bridge plan joins the host's).
  if (makesBridge && deps.interfaces().has(plan.bridge)) throw bridgeTakenError(plan.bridge, name, plan.owner, deps)

  ensureOwnDirs(paths.plan.runtimeDir, paths.networkDir(name))
  ensureOwnDirs(paths.plan.stateDir, `${paths.plan.stateDir}/dnsmasq`)
  const ctx: RecordContext = { store: deps.store, uuid, netns: deps.netns, nsId: deps.nsId, now: deps.now() }
  // Before the first step, so a crash at any point leaves a record of what may exist.
  writeRecord(paths.intent(name), recordOfPlan('intent', plan, ctx))

  const out = await applyPlan(
    plan.steps,
    deps.runnerFor(name, { artifacts: plan.artifacts, bridge: makesBridge ? plan.bridge : null }),
    {
      network: name,
      onEvent: (e) => deps.emit(e),
      shouldStop: () => deps.shouldStop(),
      ...(deps.afterStep ? { afterStep: deps.afterStep } : {})
    }
  )
  if (out.ok) {
    const runsDnsmasq = plan.steps.some((s) => s.id === 'dnsmasq')
    const pid = runsDnsmasq ? readPidfile(networkPaths(paths.plan, name).pidfile) : null
    const dnsmasq = runsDnsmasq ? { pid, startTime: pid === null ? null : processStartTime(pid) } : null
    writeRecord(paths.journal(name), recordOfPlan('journal', plan, ctx, dnsmasq))
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
  const why = out.failedStep === 'firewall' ? await explainTableClash(plan, deps, original) : messageOf(original)
  const code =
    original instanceof HelperError
      ? original.code
      : /already exists, made by/.test(why)
        ? 'FOREIGN_OBJECT'
        : 'STEP_FAILED'
  throw new HelperError(code, `starting network ${name} failed${where}: ${why}${tail}`, {
    rollbackErrors: out.rollbackErrors,
    ...(original instanceof HelperError && original.fix ? { fix: original.fix } : {})
  })
}
