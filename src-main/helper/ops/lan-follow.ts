/**
 * An `ipv6='lan'` network kept in step with its uplink and its guests (docs/uplink-modes.md):
 *   - the uplink's prefix moved (a roam, a new router, offline): one transaction
 *     (core/plan/lan-roam-steps.ts) announces the new prefix, deprecates the old one at once,
 *     drops the old proxy entries and replaces the table; the journal names the new prefix;
 *   - then the guests: every address in the prefix the host has heard from (the table's lan_seen
 *     set, the bridge's IPv6 neighbours) gets a /128 route to the bridge and a proxy entry on the
 *     uplink; an address heard from no more loses both. The journal lists them before they are
 *     made and after they are gone, so a stop or reconcile always knows every entry there may be.
 * Run by net-follow-uplink and the guardian. A network that runs another definition than the stored
 * one (its files that do not depend on the uplink differ from the plan's) does not roam.
 */
import type { HostFacts } from '../../core/model/host-facts'
import type { NetworkDef } from '../../core/model/network'
import { wantsLanIpv6 } from '../../core/model/uplink-mode'
import type { Plan } from '../../core/model/plan'
import type { ArtifactKey } from '../../core/plan/build-plan'
import { buildPlan } from '../../core/plan/build-plan'
import { withoutUplinkMtu } from '../../core/plan/follow-uplink-steps'
import type { NetworkPaths } from '../../core/plan/network-paths'
import { proxyArgv, proxyChange, parseSeenSet, unproxyArgv } from '../../core/plan/lan-proxy'
import { LAN_SEEN_SET } from '../../core/plan/lan-plan'
import { lanRoamSteps } from '../../core/plan/lan-roam-steps'
import { networkPaths } from '../../core/plan/network-paths'
import type { NetworkRecord, RecordLan } from '../../core/plan/network-record'
import { nftTableName } from '../../core/plan/nft-names'
import { readTextOrNull, removePathSync } from '../../store/safe-fs'
import { applyPlan } from '../apply-plan'
import { execProgram } from '../run/exec-program'
import { readRecord, writeRecord } from '../state/journal'
import type { OpsDeps } from './deps'
import { readGuestAddresses } from './guest-addresses'
import { liveFailure, runningPlanContext } from './running-network'

export interface LanOutcome {
  network: string
  /** The uplink and prefix the guests get addresses in now; null: none (the network's own IPv6 only). */
  uplink: string | null
  prefix: string | null
  /** The prefix changed (announced, the old one deprecated). */
  moved: boolean
  /** Guest addresses the host answers for now. */
  proxies: number
  message: string
}

const sameUplink = (a: RecordLan['uplink'], b: RecordLan['uplink']): boolean =>
  a === b ||
  (a !== null && b !== null && a.dev === b.dev && a.prefix === b.prefix && a.bridgeAddress === b.bridgeAddress)

async function seenAddresses(deps: OpsDeps, record: NetworkRecord, bridge: string): Promise<string[]> {
  let fromSet: string[] = []
  try {
    const table = nftTableName(record.network)
    fromSet = parseSeenSet((await execProgram(['nft', '-j', 'list', 'set', 'inet', table, LAN_SEEN_SET])).stdout)
  } catch {
    // No set (no prefix): nothing seen.
  }
  const guests = await readGuestAddresses(deps, record.network, bridge)
  return [...fromSet, ...guests.neighbours6.map((n) => n.address)]
}

/** The files that do not depend on the uplink (its prefix, its MTU): what tells the definition that runs. */
function runsAnotherDefinition(plan: Plan, np: NetworkPaths): boolean {
  const same = (key: ArtifactKey, path: string, norm: (t: string) => string = (t) => t): boolean => {
    const there = readTextOrNull(path)
    const want = plan.artifacts[key]
    return (there === null) === (want === undefined) && (there === null || norm(there) === norm(want ?? ''))
  }
  return !(
    same('ip.batch', np.ipBatch) &&
    same('dnsmasq.conf', np.dnsmasqConf, withoutUplinkMtu) &&
    same('hostsfile', np.hostsfile) &&
    same('addnhosts', np.addnhosts)
  )
}

async function roam(def: NetworkDef, facts: HostFacts, deps: OpsDeps, record: NetworkRecord, lan: RecordLan) {
  const name = def.name
  const bridge = record.bridge as string
  const plan = buildPlan(def, runningPlanContext(deps, record, facts))
  const next = plan.lan ?? null
  const np = networkPaths(deps.paths.plan, name)
  if (runsAnotherDefinition(plan, np)) return null
  const r = lanRoamSteps({
    paths: np,
    bridge,
    tables: plan.tables,
    old: lan,
    next,
    nextNft: plan.artifacts.nft ?? '',
    currentNft: readTextOrNull(np.ruleset),
    nextIp6Batch: plan.artifacts['ip6.batch'] ?? '',
    currentIp6Batch: readTextOrNull(np.ip6Batch)
  })
  deps.checkPrograms(['ip', 'nft'])
  const out = await applyPlan(r.steps, deps.runnerFor(name, { artifacts: r.artifacts, bridge }), {
    network: name,
    onEvent: (e) => deps.emit(e),
    shouldStop: () => deps.shouldStop(),
    ...(deps.afterStep ? { afterStep: deps.afterStep } : {})
  })
  for (const f of r.scratch) removePathSync(f)
  const failure = liveFailure(out, `moving network ${name} to the uplink's new prefix`, 'it keeps the old one')
  if (failure) throw failure
  const uplink = next && { dev: next.dev, prefix: next.prefix, bridgeAddress: next.bridgeAddress }
  const moved: NetworkRecord = { ...record, lan: { uplink, proxies: [] } }
  writeRecord(deps.paths.journal(name), moved)
  return moved
}

/** Roams when the uplink's prefix moved, then proxies for the guests seen; null for other networks. */
export async function followLan(def: NetworkDef, facts: HostFacts, deps: OpsDeps): Promise<LanOutcome | null> {
  if (!wantsLanIpv6(def)) return null
  const name = def.name
  const state = readRecord(deps.paths.journal(name), { network: name, store: deps.store })
  if (!state?.ok || state.record.lan === undefined || state.record.bridge === null) return null
  let record = state.record
  const bridge = state.record.bridge
  const planned = buildPlan(def, runningPlanContext(deps, record, facts)).lan ?? null
  const wanted = planned && { dev: planned.dev, prefix: planned.prefix, bridgeAddress: planned.bridgeAddress }
  const before = record.lan as RecordLan
  const moved = !sameUplink(before.uplink, wanted)
  if (moved) {
    const roamed = await roam(def, facts, deps, record, before)
    if (roamed === null)
      return {
        network: name,
        uplink: before.uplink?.dev ?? null,
        prefix: before.uplink?.prefix ?? null,
        moved: false,
        proxies: before.proxies.length,
        message: `network ${name} runs another definition than the stored one: restart it (guestnet net-destroy ${name}; guestnet net-start ${name}) to follow the uplink's prefix`
      }
    record = roamed
  }
  const lan = record.lan as RecordLan
  const uplink = lan.uplink
  const change = proxyChange(lan.proxies, await seenAddresses(deps, record, bridge), uplink?.prefix ?? null)
  const runner = deps.runnerFor(name, { bridge })
  if (uplink && change.add.length > 0) {
    // Recorded first: a crash in between leaves entries the journal names, never unnamed ones.
    writeRecord(deps.paths.journal(name), { ...record, lan: { uplink, proxies: [...lan.proxies, ...change.add] } })
    for (const a of change.add) await runner.run(proxyArgv(uplink.dev, a))
  }
  if (uplink && change.remove.length > 0) for (const a of change.remove) await runner.run(unproxyArgv(uplink.dev, a))
  if (change.add.length > 0 || change.remove.length > 0)
    writeRecord(deps.paths.journal(name), { ...record, lan: { uplink, proxies: change.next } })
  const where = uplink ? `${uplink.prefix} from ${uplink.dev}` : "no uplink prefix (the network's own IPv6 only)"
  return {
    network: name,
    uplink: uplink?.dev ?? null,
    prefix: uplink?.prefix ?? null,
    moved,
    proxies: change.next.length,
    message: `network ${name}: guests get addresses in ${where}${moved ? ' (moved; the old prefix is deprecated)' : ''}; ${change.next.length} answered for on the LAN`
  }
}
