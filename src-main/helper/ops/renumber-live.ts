/**
 * Renumbering a running network in place (see renumber-steps.ts for the steps). Refuses when the
 * network runs something other than its stored definition (it was redefined while running): then
 * the old files on disk are not what the old definition says, and a rollback could not be exact.
 * After success the journal keeps its undo (same bridge, table, files) with dnsmasq's new pid.
 */

import { parseIpAddrJson } from '../../core/host/parse-host-facts'
import type { HostFacts } from '../../core/model/host-facts'
import type { NetworkDef } from '../../core/model/network'
import { canonicalIp } from '../../core/net/ip'
import { buildPlan } from '../../core/plan/build-plan'
import { networkPaths } from '../../core/plan/network-paths'
import { applyPlan } from '../apply-plan'
import { HelperError } from '../../contract/helper-protocol'
import { readPidfile } from '../run/dnsmasq-process'
import { execProgram } from '../run/exec-program'
import type { ArtifactKey } from '../../core/plan/build-plan'
import { ARTIFACT_KEYS, artifactPath } from '../../core/plan/build-plan'
import type { BridgeAddress } from '../../core/plan/renumber-steps'
import { renumberSteps } from '../../core/plan/renumber-steps'
import { readTextOrNull, removePathSync } from '../../store/safe-fs'
import { processStartTime } from '../run/dnsmasq-process'
import { writeRecord } from '../state/journal'
import type { OpsDeps } from './deps'
import { assertOwnTables, liveFailure, ownBridge, runningPlanContext, runningRecord } from './running-network'

export interface LiveRenumberInput {
  oldDef: NetworkDef
  newDef: NetworkDef
  /** The family that moved. */
  family: 4 | 6
  facts: HostFacts
  deps: OpsDeps
}

/** Files whose content must match the stored definition's plan for an exact rollback. */
const CHECKED_ARTIFACTS = ['ip.batch', 'nft', 'dnsmasq.conf'] as const

/** Pure: the global addresses of one family in `ip -j addr show dev BR` output. */
export function parseBridgeAddresses(json: string, family: 4 | 6): BridgeAddress[] {
  return parseIpAddrJson(json).flatMap((a) =>
    a.family === family && a.scope === 'global' ? [{ address: a.address, prefix: a.prefix }] : []
  )
}

function addressesOf(def: NetworkDef, family: 4 | 6): BridgeAddress[] {
  const want = family === 4 ? 'ipv4' : 'ipv6'
  return def.ips
    .filter((ip) => ip.family === want)
    .map((ip) => ({ address: canonicalIp(ip.address) ?? ip.address, prefix: ip.prefix }))
}

export async function renumberLive(input: LiveRenumberInput): Promise<{ dnsmasqPid: number | null }> {
  const { deps, oldDef, newDef, family } = input
  const name = newDef.name
  const record = runningRecord(deps, name, 'run guestnet reconcile, then renumber again')
  const again = 'run guestnet reconcile (or stop and start the network), then renumber again'
  const bridge = ownBridge(deps, record, newDef, again)
  const ctx = runningPlanContext(deps, record, input.facts)
  const oldPlan = buildPlan(oldDef, ctx)
  const newPlan = buildPlan(newDef, ctx)
  const np = networkPaths(deps.paths.plan, name)
  const oldFiles: Record<string, string | null> = {}
  for (const key of Object.keys(newPlan.artifacts)) {
    if ((ARTIFACT_KEYS as readonly string[]).includes(key))
      oldFiles[key] = readTextOrNull(artifactPath(np, key as ArtifactKey))
  }
  // The tables to replace must be this network's own (their comment): the replace deletes them.
  await assertOwnTables(deps, name, newPlan.tables, again)
  // With port forwards the table follows the guests' addresses, so it cannot show which definition runs.
  const forwards = (oldDef.guestnet?.portForwards ?? []).length > 0
  for (const key of CHECKED_ARTIFACTS) {
    if (forwards && key === 'nft') continue
    if (oldPlan.artifacts[key] !== undefined && oldFiles[key] !== oldPlan.artifacts[key]) {
      throw new HelperError(
        'ACTIVE',
        `network ${name} runs a different definition than the stored one (it was changed while running), so it cannot be renumbered live`,
        {
          fix: `restart it first (guestnet net-destroy ${name}; guestnet net-start ${name}), or stop it and renumber it stopped`
        }
      )
    }
  }
  const shown = await execProgram(['ip', '-j', family === 4 ? '-4' : '-6', 'addr', 'show', 'dev', bridge])
  const plan = renumberSteps({
    bridge,
    family,
    newAddresses: addressesOf(newDef, family),
    oldAddresses: parseBridgeAddresses(shown.stdout, family),
    paths: np,
    newArtifacts: newPlan.artifacts,
    oldFiles,
    tables: newPlan.tables,
    dnsmasq: newPlan.steps.some((s) => s.id === 'dnsmasq')
  })
  deps.checkPrograms([
    ...new Set(
      plan.steps
        .flatMap((s) => [...s.apply, ...s.rollback])
        .map((a) => a[0])
        .filter((p) => !p.startsWith('@'))
    )
  ])

  const out = await applyPlan(plan.steps, deps.runnerFor(name, { artifacts: plan.artifacts, bridge }), {
    network: name,
    onEvent: (e) => deps.emit(e),
    shouldStop: () => deps.shouldStop(),
    ...(deps.afterStep ? { afterStep: deps.afterStep } : {})
  })
  for (const f of plan.scratch) removePathSync(f)
  // Done or rolled back, dnsmasq was started again: the journal names the one that runs now.
  const pid = readPidfile(np.pidfile)
  if (record.dnsmasq !== null) {
    const dnsmasq = { pid, startTime: pid === null ? null : processStartTime(pid) }
    writeRecord(deps.paths.journal(name), { ...record, dnsmasq })
  }
  const failure = liveFailure(out, `renumbering network ${name}`, 'the network runs as before')
  if (failure) throw failure
  return { dnsmasqPid: pid }
}
