/**
 * What changed in the host's networks between two readings, in words a person recognises:
 * `address 192.168.1.23/24 on wlan0`, `route 10.0.0.0/8 on wg0 (table 51820)`,
 * `default via 192.168.1.1 on wlan0 (table main)`. Built from the same prepared host networks the
 * clash check uses, plus default routes (they are never clashes, but they are the uplink). Our own
 * bridges are left out. Pure.
 */
import { prepareHostFacts } from '../core/host/clash'
import { isDefaultLike } from '../core/host/special-ranges'
import type { HostFacts } from '../core/model/host-facts'
import { formatCidr, parseCidr } from '../core/net/cidr'

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
