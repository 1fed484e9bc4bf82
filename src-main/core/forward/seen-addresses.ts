/**
 * The guests' addresses the host sees, from dnsmasq's lease file (IPv4 leases by MAC) and from
 * `ip -j -6 neigh show dev BR` (IPv6 neighbours by link-layer address). Pure; hostile text gives
 * fewer entries, never a wrong one: addresses and MACs are parsed, not copied.
 */
import { parseLeases } from '../leases/parse-leases'
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

/** Neighbours that are (or were lately) reachable; FAILED / INCOMPLETE entries have no guest behind them. */
export function neighboursSeen(json: string): SeenAddress[] {
  let list: unknown
  try {
    list = JSON.parse(json) as unknown
  } catch {
    return []
  }
  if (!Array.isArray(list)) return []
  return list.flatMap((n: unknown) => {
    if (typeof n !== 'object' || n === null) return []
    const { dst, lladdr, state } = n as { dst?: unknown; lladdr?: unknown; state?: unknown }
    if (typeof dst !== 'string' || typeof lladdr !== 'string' || !parseMac(lladdr)) return []
    if (Array.isArray(state) && state.some((s) => s === 'FAILED' || s === 'INCOMPLETE')) return []
    const ip = parseIp(dst)
    if (ip?.family !== 6) return []
    return [{ mac: macKey(lladdr), address: formatIp(ip) }]
  })
}

export function guestAddresses(leaseFile: string | null, neighJson: string | null): GuestAddresses {
  return { leases4: leasesSeen(leaseFile ?? ''), neighbours6: neighboursSeen(neighJson ?? '[]') }
}
