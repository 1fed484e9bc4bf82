/**
 * What changed in the host's networks between two readings, in words a person recognises:
 * `address 192.168.1.23/24 on wlan0`, `route 10.0.0.0/8 on wg0 (table 51820)`,
 * `default via 192.168.1.1 on wlan0 (table main)`, `uplink mtu 1420 on wg0 (table 51820)`. Built from the same prepared host networks the
 * clash check uses, plus default routes (they are never clashes, but they are the uplink). Our own
 * bridges are left out. Pure.
 */
import { prepareHostFacts } from '../core/host/clash'
import { isDefaultLike } from '../core/host/special-ranges'
import { uplinkPathMtu } from '../core/host/uplink-mtu'
import type { HostFacts } from '../core/model/host-facts'
import { formatCidr, parseCidr } from '../core/net/cidr'

/** The line naming the path MTU through the uplink (core/host/uplink-mtu.ts): `uplink mtu 1420 on wg0 (table 51820)`. */
export const UPLINK_MTU_LINE = 'uplink mtu '

/** Did the uplink's path MTU change (its line came, went or changed)? */
export function uplinkMtuChanged(diff: HostDiff): boolean {
  return [...diff.added, ...diff.removed].some((l) => l.startsWith(UPLINK_MTU_LINE))
}

/**
 * Did a default route or an IPv6 address come or go? An `ipv6='lan'` network may have to follow the
 * uplink to another prefix (a roam shows as the old address gone and a new one, or a new default).
 */
export function uplinkPrefixMayHaveChanged(diff: HostDiff): boolean {
  return [...diff.added, ...diff.removed].some(
    (l) => l.startsWith('default ') || (l.startsWith('address ') && l.split(' ')[1]?.includes(':'))
  )
}

export interface HostDiff {
  added: string[]
  removed: string[]
}

/** One line per host network and default route, sorted, without our own bridges. */
export function describeHostNetworks(facts: HostFacts, ignoreDevs: readonly string[] = []): string[] {
  const ignore = new Set(ignoreDevs)
  const lines = new Set<string>()
  for (const n of prepareHostFacts(facts).networks) {
    if (n.dev !== undefined && ignore.has(n.dev)) continue
    const on = n.dev !== undefined ? ` on ${n.dev}` : ''
    if (n.kind === 'address') lines.add(`address ${n.address ?? formatCidr(n.cidr)}${on}`)
    else lines.add(`route ${formatCidr(n.cidr)}${on} (${n.routeType ? `${n.routeType}, ` : ''}table ${n.table})`)
  }
  for (const r of facts.routes) {
    if ((r.type ?? 'unicast') !== 'unicast' || (r.dev !== undefined && ignore.has(r.dev))) continue
    const cidr = parseCidr(r.dst)
    if (!cidr || !isDefaultLike(cidr)) continue
    const via = r.gateway ? ` via ${r.gateway}` : ''
    const name = cidr.prefix === 0 ? 'default' : `default-like ${formatCidr(cidr)}`
    lines.add(`${name}${via}${r.dev ? ` on ${r.dev}` : ''} (table ${r.table})`)
  }
  const path = uplinkPathMtu(facts)
  if (path !== null && !ignore.has(path.dev))
    lines.add(`${UPLINK_MTU_LINE}${path.mtu} on ${path.dev} (table ${path.table})`)
  return [...lines].sort()
}

export function diffHostNetworks(before: readonly string[], after: readonly string[]): HostDiff {
  const was = new Set(before)
  const now = new Set(after)
  return { added: after.filter((l) => !was.has(l)), removed: before.filter((l) => !now.has(l)) }
}

/** The default routes among the lines (the uplinks), for a short summary. */
export function uplinksOf(lines: readonly string[]): string[] {
  return lines.filter((l) => l.startsWith('default '))
}
