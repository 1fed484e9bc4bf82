/**
 * The guests of a network, one per MAC, from what the host knows about them: dnsmasq's IPv4 and
 * DHCPv6 leases (a DHCPv6 client is matched by the MAC in its DUID-LL or DUID-LLT), the bridge's
 * neighbour table (SLAAC and static addresses), the network's reservations and when each MAC was
 * first seen. Expired leases are left out. Pure.
 */
import type { DhcpHost } from '../model/network'
import { canonicalIp } from '../net/ip'
import { macKey, macProblem } from '../validate/syntax'
import type { DhcpLease } from './parse-leases'
import type { Neighbour } from './parse-neighbours'

export interface GuestAddress6 {
  ip: string
  source: 'dhcpv6' | 'neighbour'
  /** fe80::/10: reachable only on the bridge (`ssh user@ADDR%BRIDGE`). */
  linkLocal: boolean
}

export interface GuestInfo {
  mac: string
  hostname: string | null
  /** The IPv4 lease's address, else one the neighbour table shows (a static address). */
  ipv4: { ip: string; expiresAt: number | null; source: 'lease' | 'neighbour' } | null
  ipv6: GuestAddress6[]
  reservation: { ip: string | null; name: string | null } | null
  /** Unix seconds; null when no record knows it. */
  firstSeen: number | null
}

export interface GuestSources {
  leases: readonly DhcpLease[]
  neighbours: readonly Neighbour[]
  reservations: readonly DhcpHost[]
  /**
   * The host's own MACs on the bridge: never a guest. Its neighbour table may hold the bridge's own
   * link-local address (a `router` entry from the router advertisements it sends itself).
   */
  hostMacs?: readonly string[]
  /** MAC (lower case) → Unix seconds. */
  firstSeen: Readonly<Record<string, number>>
  nowSeconds: number
}

/** The MAC in a DUID-LLT (`00:01:00:01` + 4 bytes of time) or DUID-LL (`00:03:00:01`) on Ethernet. */
export function macOfDuid(duid: string | null): string | null {
  if (duid === null) return null
  const bytes = duid.toLowerCase().split(':')
  if (bytes.some((b) => !/^[0-9a-f]{2}$/.test(b))) return null
  const type = bytes.slice(0, 4).join(':')
  const mac = type === '00:01:00:01' ? bytes.slice(8) : type === '00:03:00:01' ? bytes.slice(4) : null
  return mac !== null && mac.length === 6 ? mac.join(':') : null
}

const isLinkLocal = (ip: string): boolean => /^fe[89ab][0-9a-f]:/i.test(ip)

function keyOf(mac: string | null): string | null {
  return mac !== null && macProblem(mac) === null ? macKey(mac) : null
}

export function buildGuests(src: GuestSources): GuestInfo[] {
  const guests = new Map<string, GuestInfo>()
  const guest = (mac: string): GuestInfo => {
    const key = macKey(mac)
    let g = guests.get(key)
    if (!g) {
      g = { mac: key, hostname: null, ipv4: null, ipv6: [], reservation: null, firstSeen: src.firstSeen[key] ?? null }
      guests.set(key, g)
    }
    return g
  }
  const addV6 = (g: GuestInfo, ip: string, source: GuestAddress6['source']): void => {
    const canonical = canonicalIp(ip) ?? ip
    if (!g.ipv6.some((a) => a.ip === canonical))
      g.ipv6.push({ ip: canonical, source, linkLocal: isLinkLocal(canonical) })
  }
  const live = src.leases.filter((l) => l.expiry === null || l.expiry > src.nowSeconds)
  for (const l of live) {
    const key = keyOf(l.family === 'ipv4' ? l.mac : macOfDuid(l.clientId))
    if (key === null) continue
    const g = guest(key)
    if (l.hostname !== null && g.hostname === null) g.hostname = l.hostname
    if (l.family === 'ipv4') g.ipv4 = { ip: l.ip, expiresAt: l.expiry, source: 'lease' }
    else addV6(g, l.ip, 'dhcpv6')
  }
  const own = new Set((src.hostMacs ?? []).flatMap((m) => keyOf(m) ?? []))
  for (const n of src.neighbours) {
    if (own.has(keyOf(n.mac) ?? '')) continue
    const g = guest(n.mac)
    if (n.family === 'ipv6') addV6(g, n.ip, 'neighbour')
    else if (g.ipv4 === null) g.ipv4 = { ip: n.ip, expiresAt: null, source: 'neighbour' }
  }
  for (const h of src.reservations) {
    const key = keyOf(h.mac ?? null)
    const g = key === null ? undefined : guests.get(key)
    if (g) g.reservation = { ip: h.ip ?? null, name: h.name ?? null }
  }
  // Global addresses first: the one to copy into an SSH command is then ipv6[0].
  for (const g of guests.values()) g.ipv6.sort((a, b) => Number(a.linkLocal) - Number(b.linkLocal))
  return [...guests.values()].sort((a, b) => {
    if (a.ipv4 === null || b.ipv4 === null)
      return Number(a.ipv4 === null) - Number(b.ipv4 === null) || a.mac.localeCompare(b.mac)
    return a.ipv4.ip.localeCompare(b.ipv4.ip, 'en', { numeric: true }) || a.mac.localeCompare(b.mac)
  })
}

/** The first-seen record with every MAC seen now added (at `nowSeconds`); existing entries keep their time. */
export function recordFirstSeen(
  record: Readonly<Record<string, number>>,
  macs: readonly string[],
  nowSeconds: number
): { record: Record<string, number>; changed: boolean } {
  const out = { ...record }
  let changed = false
  for (const mac of macs) {
    const key = keyOf(mac)
    if (key !== null && out[key] === undefined) {
      out[key] = nowSeconds
      changed = true
    }
  }
  return { record: out, changed }
}
