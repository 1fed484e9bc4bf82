/**
 * Where each forward of a network goes now: the guest's address per family, from the target itself
 * (an address, a reservation's reserved address) or, for a MAC, from what the host sees of that
 * guest (its DHCP lease, the bridge's neighbour table). A family with no known address is
 * "waiting": it gets no rule until the guest shows up. Pure.
 */
import type { NetworkDef } from '../model/network'
import type { PortForward } from '../model/port-forward'
import { forwardFamilies } from '../model/port-forward'
import { cidrContainsIp } from '../net/cidr'
import type { Family, Ip } from '../net/ip'
import { formatIp, parseIp } from '../net/ip'
import { cidrOf } from '../net/cidr'
import { macKey, parseMac } from '../validate/syntax'
import { forwardTarget } from './forward-target'

/** A guest's address the host has seen, by the guest's MAC. */
export interface SeenAddress {
  mac: string
  address: string
}

/** What the host knows of its guests: DHCP leases (IPv4) and the bridge's neighbours (IPv6). */
export interface GuestAddresses {
  leases4: readonly SeenAddress[]
  neighbours6: readonly SeenAddress[]
}

export const NO_GUESTS: GuestAddresses = { leases4: [], neighbours6: [] }

export interface ResolvedForward {
  forward: PortForward
  /** Index in the network's list (`net-forward-list` and messages). */
  index: number
  /** The guest's address per family asked for; null: not known yet (waiting). */
  ipv4: string | null
  ipv6: string | null
  /** Every family asked for has an address. */
  state: 'active' | 'waiting'
}

interface Subnet {
  family: Family
  contains(ip: Ip): boolean
}

function subnetsOf(def: NetworkDef): Subnet[] {
  return def.ips.flatMap((block) => {
    const gw = parseIp(block.address)
    if (!gw) return []
    const cidr = cidrOf(gw, block.prefix)
    return [{ family: gw.family, contains: (ip: Ip) => cidrContainsIp(cidr, ip) }]
  })
}

/** The modified EUI-64 interface identifier SLAAC makes from a MAC (RFC 4291 appendix A). */
export function eui64Suffix(mac: string): bigint | null {
  const b = parseMac(mac)
  if (!b) return null
  const bytes = [b[0] ^ 2, b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]]
  return bytes.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n)
}

function inNetwork(text: string, family: Family, subnets: Subnet[]): string | null {
  const ip = parseIp(text)
  if (!ip || ip.family !== family) return null
  return subnets.some((s) => s.family === family && s.contains(ip)) ? formatIp(ip) : null
}

/** The guest's address seen for `mac`: the one SLAAC made from its MAC when it has several. */
function seenFor(mac: string, family: Family, guests: GuestAddresses, subnets: Subnet[]): string | null {
  const list = family === 4 ? guests.leases4 : guests.neighbours6
  const found = list
    .filter((s) => parseMac(s.mac) !== null && macKey(s.mac) === mac)
    .map((s) => inNetwork(s.address, family, subnets))
    .filter((a): a is string => a !== null)
  if (found.length === 0) return null
  if (family === 6) {
    const suffix = eui64Suffix(mac)
    const eui = found.find((a) => (parseIp(a)?.value ?? 0n) % (1n << 64n) === suffix)
    if (eui) return eui
  }
  // Several leases or temporary addresses: the same choice each time, so rules do not flap.
  return [...found].sort()[0]
}

function addressFor(
  f: PortForward,
  family: Family,
  def: NetworkDef,
  guests: GuestAddresses,
  subnets: Subnet[]
): string | null {
  const target = forwardTarget(f.to, def)
  switch (target.kind) {
    case 'address':
      return target.ip.family === family ? inNetwork(f.to, family, subnets) : null
    case 'mac':
      return seenFor(target.mac, family, guests, subnets)
    case 'reservation': {
      const reserved = family === 4 ? target.ipv4 : target.ipv6
      if (reserved !== undefined) return inNetwork(reserved, family, subnets)
      return target.mac === undefined ? null : seenFor(target.mac, family, guests, subnets)
    }
    case 'unknown':
      return null
  }
}

export function resolveForwards(def: NetworkDef, guests: GuestAddresses): ResolvedForward[] {
  const subnets = subnetsOf(def)
  return (def.guestnet?.portForwards ?? []).map((forward, index) => {
    const families = forwardFamilies(forward)
    const ipv4 = families.includes(4) ? addressFor(forward, 4, def, guests, subnets) : null
    const ipv6 = families.includes(6) ? addressFor(forward, 6, def, guests, subnets) : null
    const known = families.every((fam) => (fam === 4 ? ipv4 : ipv6) !== null)
    return { forward, index, ipv4, ipv6, state: known ? 'active' : 'waiting' }
  })
}
