/**
 * An `ipv6='lan'` network follows its uplink to another prefix (or to none, or from none), guests
 * running on. One transaction on the executor (apply-plan.ts); pure:
 *   unproxy   stop answering for the guests on the old uplink       answer again
 *   address   the new prefix's bridge address; the old one's        the new one removed; the old one
 *             preferred lifetime set to 0 (dnsmasq announces it      preferred again
 *             deprecated at once; it is gone after LAN_OLD_VALID s)
 *   files, firewall   the table with the new prefix (forward-steps.ts: one atomic nft -f)
 *   batch     the new ip6.batch, so the guardian sees the plan       the old one back
 * dnsmasq is not touched: its constructor line follows the bridge's addresses by itself.
 */
import type { Argv, NftTableRef, PlanLan, PlanStep } from '../model/plan'
import { LAN_PREFIX_LENGTH } from '../host/lan-uplink'
import { forwardSteps } from './forward-steps'
import { proxyArgv, unproxyArgv } from './lan-proxy'
import type { NetworkPaths } from './network-paths'
import type { RecordLan } from './network-record'

/** Seconds the old prefix's bridge address stays (deprecated) after a roam: guests are told to stop using it. */
export const LAN_OLD_VALID = 600

export interface LanRoamInput {
  paths: NetworkPaths
  bridge: string
  tables: readonly NftTableRef[]
  old: RecordLan
  next: PlanLan | null
  nextNft: string
  currentNft: string | null
  nextIp6Batch: string
  currentIp6Batch: string | null
}

export interface LanRoamSteps {
  steps: PlanStep[]
  artifacts: Record<string, string>
  scratch: string[]
}

const cidr = (address: string): string => `${address}/${LAN_PREFIX_LENGTH}`

export function lanRoamSteps(i: LanRoamInput): LanRoamSteps {
  const steps: PlanStep[] = []
  const old = i.old.uplink
  if (old && i.old.proxies.length > 0)
    steps.push({
      id: 'unproxy',
      title: `Stop answering for ${i.old.proxies.length} guest address(es) on ${old.dev}`,
      apply: i.old.proxies.map((a) => unproxyArgv(old.dev, a)),
      rollback: i.old.proxies.map((a) => proxyArgv(old.dev, a))
    })
  const apply: Argv[] = []
  const rollback: Argv[] = []
  const br = i.bridge
  const flags = ['noprefixroute', 'nodad']
  if (i.next && i.next.bridgeAddress !== old?.bridgeAddress) {
    apply.push(['ip', '-6', 'address', 'replace', cidr(i.next.bridgeAddress), 'dev', br, ...flags])
    rollback.push(['ip', '-6', 'address', 'del', cidr(i.next.bridgeAddress), 'dev', br])
  }
  if (old && old.bridgeAddress !== i.next?.bridgeAddress) {
    const lft = ['preferred_lft', '0', 'valid_lft', String(LAN_OLD_VALID)]
    apply.push(['ip', '-6', 'address', 'change', cidr(old.bridgeAddress), 'dev', br, ...flags, ...lft])
    rollback.unshift(['ip', '-6', 'address', 'change', cidr(old.bridgeAddress), 'dev', br, ...flags])
  }
  if (apply.length > 0)
    steps.push({
      id: 'address',
      title: `Announce ${i.next?.prefix ?? 'no uplink prefix'} on ${br}${old ? `, ${old.prefix} deprecated` : ''}`,
      apply,
      rollback
    })
  const fw = forwardSteps({
    paths: i.paths,
    tables: i.tables,
    next: i.nextNft,
    current: i.currentNft,
    purpose: "the uplink's new prefix"
  })
  steps.push(...fw.steps)
  const artifacts: Record<string, string> = { ...fw.artifacts, 'ip6.batch': i.nextIp6Batch }
  const batchUndo: Argv[] = [['@remove', i.paths.ip6Batch]]
  if (i.currentIp6Batch !== null) {
    artifacts['old:ip6.batch'] = i.currentIp6Batch
    batchUndo[0] = ['@write', i.paths.ip6Batch, 'old:ip6.batch']
  }
  steps.push({
    id: 'batch',
    title: `Write the bridge's new addresses to ${i.paths.ip6Batch}`,
    apply: [['@write', i.paths.ip6Batch, 'ip6.batch']],
    rollback: batchUndo
  })
  return { steps, artifacts, scratch: fw.scratch }
}
