/**
 * Port forwards on a running network: the new table (with the forwards resolved to the guests'
 * current addresses) replaces the old one in one atomic `nft -f` on the plan executor
 * (core/plan/forward-steps.ts); nothing else of the network changes, so dnsmasq, the bridge and the
 * guests' connections stay. Prepared (every check, nothing changed) before the stored file is
 * touched. Refused when the network runs a definition other than the stored one, or its table is
 * not its own.
 */
import type { GuestAddresses } from '../../core/forward/resolve-forwards'
import type { HostFacts } from '../../core/model/host-facts'
import type { NetworkDef } from '../../core/model/network'
import type { ArtifactKey } from '../../core/plan/build-plan'
import { ARTIFACT_KEYS, artifactPath, buildPlan } from '../../core/plan/build-plan'
import type { ForwardSteps } from '../../core/plan/forward-steps'
import { forwardSteps } from '../../core/plan/forward-steps'
import { networkPaths } from '../../core/plan/network-paths'
import { HelperError } from '../../contract/helper-protocol'
import { readTextOrNull, removePathSync } from '../../store/safe-fs'
import { applyPlan } from '../apply-plan'
import type { OpsDeps } from './deps'
import { assertOwnTables, liveFailure, ownBridge, runningPlanContext, runningRecord } from './running-network'

export interface PreparedForwards {
  network: string
  bridge: string
  plan: ForwardSteps
}

export interface PrepareForwardsInput {
  /** The definition the network runs (the stored one) and the one with the forwards changed. */
  oldDef: NetworkDef
  newDef: NetworkDef
  facts: HostFacts
  guests: GuestAddresses
  deps: OpsDeps
}

function restartFix(name: string): string {
  return `restart the network (guestnet net-destroy ${name}; guestnet net-start ${name}), then try again`
}

export async function prepareLiveForwards(input: PrepareForwardsInput): Promise<PreparedForwards> {
  const { deps, oldDef, newDef } = input
  const name = newDef.name
  const record = runningRecord(deps, name, 'run guestnet reconcile, then try again')
  const again = 'run guestnet reconcile (or stop and start the network), then try again'
  const bridge = ownBridge(deps, record, newDef, again)
  const ctx = runningPlanContext(deps, record, input.facts, input.guests)
  const oldPlan = buildPlan(oldDef, ctx)
  const newPlan = buildPlan(newDef, ctx)
  const np = networkPaths(deps.paths.plan, name)
  // Forwards change the table only; every other file shows whether the stored definition is what runs.
  for (const key of ARTIFACT_KEYS) {
    if (key === 'nft') continue
    const there = readTextOrNull(artifactPath(np, key as ArtifactKey))
    if ((oldPlan.artifacts[key] ?? null) !== there || newPlan.artifacts[key] !== oldPlan.artifacts[key]) {
      throw new HelperError(
        'ACTIVE',
        `network ${name} runs a definition other than the stored one (its ${key} differs), so its forwards cannot change live`,
        {
          fix: restartFix(name)
        }
      )
    }
  }
  await assertOwnTables(deps, name, newPlan.tables, again)
  const plan = forwardSteps({
    paths: np,
    tables: newPlan.tables,
    next: newPlan.artifacts.nft ?? '',
    current: readTextOrNull(np.ruleset)
  })
  deps.checkPrograms(plan.changed ? ['nft'] : [])
  return { network: name, bridge, plan }
}

/** Runs prepared forwards as one transaction: done, or rolled back and a HelperError. */
export async function runLiveForwards(prepared: PreparedForwards, deps: OpsDeps): Promise<void> {
  const { network, plan, bridge } = prepared
  if (!plan.changed) return
  const out = await applyPlan(plan.steps, deps.runnerFor(network, { artifacts: plan.artifacts, bridge }), {
    network,
    onEvent: (e) => deps.emit(e),
    shouldStop: () => deps.shouldStop(),
    ...(deps.afterStep ? { afterStep: deps.afterStep } : {})
  })
  for (const f of plan.scratch) removePathSync(f)
  const failure = liveFailure(
    out,
    `changing network ${network}'s forwards`,
    'the running network keeps its old forwards'
  )
  if (failure) throw failure
}
