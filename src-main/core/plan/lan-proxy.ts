/**
 * The guests of an `ipv6='lan'` network the host answers for on the uplink: which addresses qualify,
 * the built-ins that add and remove one (a /128 route to the bridge and a proxy entry on the uplink),
 * and the difference between the entries recorded and the guests seen now. Pure.
 *   ['@proxy-ndp', UPLINK, ADDR]    route ADDR/128 to the network's bridge, answer for it on UPLINK
 *   ['@unproxy-ndp', UPLINK, ADDR]  remove both (what is gone already is not an error)
 */
import type { Argv } from '../model/plan'
import { cidrContainsIp, parseCidr } from '../net/cidr'
import { formatIp, parseIp } from '../net/ip'

/** Past this many a bridge is flooded with forged sources: more are not proxied. */
export const MAX_LAN_PROXIES = 1024

/** `addr` written the one way (RFC 5952) if it is a unicast address inside `prefix` (a /64), else null. */
export function lanGuestAddress(addr: string, prefix: string): string | null {
  const ip = parseIp(addr)
  const cidr = parseCidr(prefix)
  if (!ip || !cidr || ip.family !== 6 || cidr.family !== 6 || !cidrContainsIp(cidr, ip)) return null
  // The subnet-router anycast address (all-zero identifier) is the router's, never a guest's.
  if (ip.value === cidr.network) return null
  return formatIp(ip)
}

export const proxyArgv = (uplink: string, addr: string): Argv => ['@proxy-ndp', uplink, addr]
export const unproxyArgv = (uplink: string, addr: string): Argv => ['@unproxy-ndp', uplink, addr]

export interface ProxyChange {
  add: string[]
  remove: string[]
  /** The entries afterwards, sorted. */
  next: string[]
}

/** What to add and remove so the entries are the guests `seen` in `prefix` (sorted, capped). */
export function proxyChange(recorded: readonly string[], seen: readonly string[], prefix: string | null): ProxyChange {
  const want = new Set<string>()
  if (prefix !== null)
    for (const a of seen) {
      const g = lanGuestAddress(a, prefix)
      if (g !== null && want.size < MAX_LAN_PROXIES) want.add(g)
    }
  const have = new Set(recorded)
  return {
    add: [...want].filter((a) => !have.has(a)).sort(),
    remove: [...have].filter((a) => !want.has(a)).sort(),
    next: [...want].sort()
  }
}

/** The addresses in `nft -j list set inet T lan_seen` (elements with a timeout are objects); hostile text gives none. */
export function parseSeenSet(json: string): string[] {
  let doc: unknown
  try {
    doc = JSON.parse(json)
  } catch {
    return []
  }
  const items = (doc as { nftables?: unknown } | null)?.nftables
  if (!Array.isArray(items)) return []
  const out: string[] = []
  for (const item of items) {
    const elems = (item as { set?: { elem?: unknown } } | null)?.set?.elem
    if (!Array.isArray(elems)) continue
    for (const e of elems) {
      const val = typeof e === 'string' ? e : (e as { elem?: { val?: unknown } } | null)?.elem?.val
      const ip = typeof val === 'string' ? parseIp(val) : null
      if (ip?.family === 6 && out.length < MAX_LAN_PROXIES) out.push(formatIp(ip))
    }
  }
  return out
}
