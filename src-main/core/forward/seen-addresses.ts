/**
 * The guests' addresses the host sees, from dnsmasq's lease file (IPv4 leases by MAC) and from
 * `ip -j -6 neigh show dev BR` (IPv6 neighbours by link-layer address, core/leases/parse-neighbours.ts).
 * Pure; hostile text gives
 * fewer entries, never a wrong one: addresses and MACs are parsed, not copied.
 */
import { parseLeases } from '../leases/parse-leases'
import { parseNeighbours } from '../leases/parse-neighbours'
import { formatIp, parseIp } from '../net/ip'
import { macKey, parseMac } from '../validate/syntax'
import type { GuestAddresses, SeenAddress } from './resolve-forwards'

export function leasesSeen(leaseFile: string): SeenAddress[] {
  return parseLeases(leaseFile).leases.flatMap((l) => {
    const ip = parseIp(l.ip)
    if (l.family !== 'ipv4' || l.mac === null || !parseMac(l.mac) || ip?.family !== 4) return []
    return [{ mac: macKey(l.mac), address: formatIp(ip) }]
  })
}

/** IPv6 neighbours from `ip -j -6 neigh show dev BR`, read by the one parser of that table. */
export function neighboursSeen(json: string): SeenAddress[] {
  return parseNeighbours(json).flatMap((n) =>
    n.family === 'ipv6' && n.state !== 'FAILED' && n.state !== 'INCOMPLETE'
      ? [{ mac: macKey(n.mac), address: n.ip }]
      : []
  )
}

export function guestAddresses(leaseFile: string | null, neighJson: string | null): GuestAddresses {
  return { leases4: leasesSeen(leaseFile ?? ''), neighbours6: neighboursSeen(neighJson ?? '[]') }
}
