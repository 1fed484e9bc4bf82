/**
 * A live `net-update`: the running network's dnsmasq gets the new reservations and DNS hosts by
 * SIGHUP (core/plan/update-steps.ts), in one transaction on the plan executor. It is prepared (every
 * check, nothing changed) before the stored definition is touched, then run. Only a change that the
 * hostsfile and addnhosts carry goes live: when the new definition would change dnsmasq's config, the
 * firewall or the bridge (a new range, the first reservation of an <ip> without DHCP), or the network
 * runs a definition other than the stored one, it is refused with what to do instead.
 */
import type { GuestAddresses } from '../../core/forward/resolve-forwards'
import type { HostFacts } from '../../core/model/host-facts'
import type { NetworkDef } from '../../core/model/network'
import { buildPlan } from '../../core/plan/build-plan'
import type { ArtifactKey } from '../../core/plan/build-plan'
import { ARTIFACT_KEYS, artifactPath } from '../../core/plan/build-plan'
import { networkPaths } from '../../core/plan/network-paths'
import type { LiveUpdateArtifact, UpdateSteps } from '../../core/plan/update-steps'
import { LIVE_UPDATE_ARTIFACTS, updateSteps } from '../../core/plan/update-steps'
import { HelperError } from '../../contract/helper-protocol'
import { readTextOrNull } from '../../store/safe-fs'
import { applyPlan } from '../apply-plan'
import type { OpsDeps } from './deps'
import { liveFailure, runningPlanContext, runningRecord } from './running-network'

export interface PreparedLiveUpdate {
  network: string
  plan: UpdateSteps
  dnsmasqPid: number
}

function restartFix(name: string): string {
  return `store it with --config, then restart the network (guestnet net-destroy ${name}; guestnet net-start ${name})`
}

/** Every check of a live update, nothing changed: the steps to run, or a HelperError naming the fix. */
export function prepareLiveUpdate(input: {
  newDef: NetworkDef
  facts: HostFacts
  deps: OpsDeps
  /** The guests' addresses now, for the port forwards in the table (helper/ops/guest-addresses.ts). */
  guests?: GuestAddresses
}): PreparedLiveUpdate {
  const { newDef, deps } = input
  const name = newDef.name
  const record = runningRecord(
    deps,
    name,
    'run guestnet reconcile, or leave out --live to change only the stored definition'
  )
  const dnsmasq = record.dnsmasq
  if (dnsmasq === null || dnsmasq.startTime === null) {
    throw new HelperError(
      'NOT_ACTIVE',
      `network ${name} runs no dnsmasq guestnet recorded, so there is nothing to change live`,
      {
        fix: restartFix(name)
      }
    )
  }
  const plan = buildPlan(newDef, runningPlanContext(deps, record, input.facts, input.guests))
  const np = networkPaths(deps.paths.plan, name)
  // SIGHUP re-reads only the hostsfile and addn-hosts: every other file must already be the new one.
  for (const key of ARTIFACT_KEYS) {
    if ((LIVE_UPDATE_ARTIFACTS as readonly string[]).includes(key)) continue
    const want = plan.artifacts[key]
    const there = readTextOrNull(artifactPath(np, key as ArtifactKey))
    if ((want ?? null) !== there) {
      throw new HelperError(
        'ACTIVE',
        `network ${name} cannot take this change live: its ${key} would change too (or it runs a definition other than the stored one), and dnsmasq re-reads only its reservations and DNS hosts without a restart`,
        { fix: restartFix(name) }
      )
    }
  }
  const proc = deps.inspectPidfile(np.pidfile, dnsmasq.startTime)
  if (proc.state !== 'ours') {
    const why = proc.state === 'foreign' ? proc.why : proc.state === 'dead' ? `pid ${proc.pid} is gone` : 'no pid file'
    throw new HelperError('NOT_ACTIVE', `network ${name}'s recorded dnsmasq is not running (${why})`, {
      fix: `run guestnet reconcile (or restart the network), then update again`
    })
  }
  const next: Partial<Record<LiveUpdateArtifact, string>> = {}
  const current: Partial<Record<LiveUpdateArtifact, string | null>> = {}
  for (const key of LIVE_UPDATE_ARTIFACTS) {
    const content = plan.artifacts[key]
    if (content === undefined) continue
    next[key] = content
    current[key] = readTextOrNull(artifactPath(np, key))
  }
  return {
    network: name,
    plan: updateSteps({ paths: np, next, current, dnsmasqStartTime: dnsmasq.startTime }),
    dnsmasqPid: proc.pid
  }
}

/** Runs a prepared live update as one transaction: done, or rolled back and a HelperError. */
export async function runLiveUpdate(prepared: PreparedLiveUpdate, deps: OpsDeps): Promise<void> {
  const { network, plan } = prepared
  if (!plan.changed) return
  const out = await applyPlan(plan.steps, deps.runnerFor(network, { artifacts: plan.artifacts, bridge: null }), {
    network,
    onEvent: (e) => deps.emit(e),
    shouldStop: () => deps.shouldStop(),
    ...(deps.afterStep ? { afterStep: deps.afterStep } : {})
  })
  const failure = liveFailure(out, `updating network ${network} live`, 'the running network keeps its old reservations')
  if (failure) throw failure
}
