/**
 * What a forward's `to` names, read against its network: an address in the network, a guest's MAC,
 * or a DHCP reservation (its MAC and reserved addresses). Pure; shared by the validator, the nft
 * rules and `net-forward-list`.
 */
import type { NetworkDef } from '../model/network'
import type { Ip } from '../net/ip'
import { formatIp, parseIp } from '../net/ip'
import { macKey, parseMac } from '../validate/syntax'

export type ForwardTarget =
  | { kind: 'address'; ip: Ip }
  | { kind: 'mac'; mac: string }
  | { kind: 'reservation'; name: string; mac?: string; ipv4?: string; ipv6?: string }
  | { kind: 'unknown' }

export function forwardTarget(to: string, def: NetworkDef): ForwardTarget {
  const ip = parseIp(to)
  if (ip) return { kind: 'address', ip }
  if (parseMac(to)) return { kind: 'mac', mac: macKey(to) }
  let found = false
  const out: { mac?: string; ipv4?: string; ipv6?: string } = {}
  for (const block of def.ips) {
    for (const host of block.dhcp?.hosts ?? []) {
      if (host.name === undefined || host.name.toLowerCase() !== to.toLowerCase()) continue
      found = true
      if (host.mac !== undefined && out.mac === undefined && parseMac(host.mac)) out.mac = macKey(host.mac)
      const parsed = host.ip === undefined ? null : parseIp(host.ip)
      if (parsed?.family === 4 && out.ipv4 === undefined) out.ipv4 = formatIp(parsed)
      if (parsed?.family === 6 && out.ipv6 === undefined) out.ipv6 = formatIp(parsed)
    }
  }
  return found ? { kind: 'reservation', name: to, ...out } : { kind: 'unknown' }
}
