/** The addresses of an IPv4 guest subnet: gateway on the bridge and the DHCP range. */
import type { Cidr } from '../net/cidr'
import { formatCidr, lastIp } from '../net/cidr'
import { formatIp, netmaskFromPrefix } from '../net/ip'

export interface Ipv4Plan {
  /** The subnet, e.g. `192.168.122.0/24`. */
  subnet: string
  /** The bridge's (the guests' gateway's) address: the first usable one, `.1` in a /24. */
  gateway: string
  prefix: number
  netmask: string
  /** DHCP range: from the address after the gateway to the one before broadcast (`.2`–`.254`). */
  dhcpStart: string
  dhcpEnd: string
}

/**
 * Gateway first+1, DHCP range first+2 … last-1. Throws for IPv6 or a prefix longer than /30,
 * which leaves no address for a guest.
 */
export function ipv4PlanFor(subnet: Cidr): Ipv4Plan {
  if (subnet.family !== 4) throw new Error(`${formatCidr(subnet)} is not an IPv4 subnet`)
  if (subnet.prefix > 30) throw new Error(`${formatCidr(subnet)} is too small: a guest network needs at least a /30`)
  const at = (v: bigint): string => formatIp({ family: 4, value: v })
  return {
    subnet: formatCidr(subnet),
    gateway: at(subnet.network + 1n),
    prefix: subnet.prefix,
    netmask: netmaskFromPrefix(subnet.prefix),
    dhcpStart: at(subnet.network + 2n),
    dhcpEnd: at(lastIp(subnet).value - 1n)
  }
}
