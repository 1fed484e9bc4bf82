/** Reverse-DNS zone of a subnet, for `<ip localPtr='yes'>` (libvirt's virSocketAddrPTRDomain). */
import type { Cidr } from '../net/cidr'

/**
 * `192.168.122.0/24` → `122.168.192.in-addr.arpa`; `2001:db8::/64` → nibbles + `ip6.arpa`.
 * Null when the prefix is not on a label boundary (a multiple of 8 for IPv4, 4 for IPv6) or is
 * 0 / a host route, as libvirt refuses those.
 */
export function ptrDomain(subnet: Cidr): string | null {
  const bits = subnet.family === 4 ? 32 : 128
  const step = subnet.family === 4 ? 8 : 4
  if (subnet.prefix === 0 || subnet.prefix >= bits || subnet.prefix % step !== 0) return null
  const labels: string[] = []
  for (let i = 0; i < subnet.prefix / step; i++) {
    const shift = BigInt(bits - step * (i + 1))
    const value = (subnet.network >> shift) & ((1n << BigInt(step)) - 1n)
    labels.push(subnet.family === 4 ? value.toString(10) : value.toString(16))
  }
  return `${labels.reverse().join('.')}.${subnet.family === 4 ? 'in-addr.arpa' : 'ip6.arpa'}`
}
