/**
 * Address blocks that are never a LAN a guest network could collide with: loopback, link-local,
 * multicast and the like. Routes and addresses inside them are skipped by clash detection, and a
 * guest network may not use them (see the validator).
 */
import type { Cidr } from '../net/cidr'
import { lastIp, parseCidr } from '../net/cidr'

export interface SpecialRange {
  cidr: Cidr
  text: string
  /** What the block is, for messages: "loopback", "link-local", … */
  what: string
  first: bigint
  last: bigint
}

function block(text: string, what: string): SpecialRange {
  const cidr = parseCidr(text)
  if (!cidr) throw new Error(`bad built-in range ${text}`)
  return { cidr, text, what, first: cidr.network, last: lastIp(cidr).value }
}

export const SPECIAL_RANGES: readonly SpecialRange[] = [
  block('0.0.0.0/8', '"this network" (RFC 1122)'),
  block('127.0.0.0/8', 'loopback'),
  block('169.254.0.0/16', 'link-local'),
  block('224.0.0.0/4', 'multicast'),
  block('240.0.0.0/4', 'reserved (RFC 1112)'),
  block('::/128', 'the unspecified address'),
  block('::1/128', 'loopback'),
  block('fe80::/10', 'link-local'),
  block('ff00::/8', 'multicast')
]

/** The special block containing all of `c`, if any. */
export function specialRangeOf(c: Cidr, last: bigint = lastIp(c).value): SpecialRange | undefined {
  return SPECIAL_RANGES.find((r) => r.cidr.family === c.family && r.first <= c.network && last <= r.last)
}

const ULA_SPACE = parseCidr('fc00::/7') as Cidr

/**
 * True for a default route and for the "split default" routes VPN clients install to win over it
 * without replacing it: OpenVPN's `0.0.0.0/1` + `128.0.0.0/1` (def1), and for IPv6 `::/1` + `8000::/1`,
 * `::/3` + `2000::/4` + `3000::/4` + `fc00::/7` (redirect-gateway ipv6). No real network is that wide,
 * so such a route says "everything else goes here", never "this subnet is taken". `fc00::/7` is the
 * whole ULA space: with 40 random bits per site, a random /48 meeting someone else's is not a clash
 * worth refusing for.
 */
export function isDefaultLike(c: Cidr): boolean {
  if (c.family === 4) return c.prefix <= 1
  return c.prefix <= 4 || (c.prefix === ULA_SPACE.prefix && c.network === ULA_SPACE.network)
}
