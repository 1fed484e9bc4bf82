/**
 * After a renumber, guests keep their old address until they next talk to DHCP: at their renewal
 * the server refuses the old address (DHCPNAK: it lies outside every range) and they start over.
 * Until then their lease is still in dnsmasq's file, outside the network's subnets: those are the
 * guests that still hold an old address.
 */
import type { Cidr } from '../net/cidr'
import { cidrContainsIp } from '../net/cidr'
import { parseIp } from '../net/ip'

/** The few lease fields this needs (helper/parse-leases.ts DhcpLease fits). */
export interface LeaseLike {
  ip: string
  mac: string | null
  hostname: string | null
  /** Unix seconds; null for an infinite lease. */
  expiry: number | null
}

/**
 * Leases whose address is in none of `subnets` (same family) and that have not expired at `nowSeconds`.
 * A lease of a family the network has no subnet of is left out: that is not a renumbering leftover.
 */
export function staleLeases<L extends LeaseLike>(
  leases: readonly L[],
  subnets: readonly Cidr[],
  nowSeconds: number
): L[] {
  return leases.filter((l) => {
    if (l.expiry !== null && l.expiry <= nowSeconds) return false
    const ip = parseIp(l.ip)
    if (!ip) return false
    const sameFamily = subnets.filter((s) => s.family === ip.family)
    return sameFamily.length > 0 && !sameFamily.some((s) => cidrContainsIp(s, ip))
  })
}

/** `alpha (192.168.122.10)`, or the MAC when the guest sent no name. */
export function describeLease(l: LeaseLike): string {
  return `${l.hostname ?? l.mac ?? 'a guest'} (${l.ip})`
}
