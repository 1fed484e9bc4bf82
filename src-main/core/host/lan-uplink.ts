/**
 * The uplink an `ipv6='lan'` network takes its guests' prefix from: the device of the host's IPv6
 * default route (the lowest metric in the main table; `forward dev` pins it), the on-link /64 the
 * host itself autoconfigured there (a usable global address with a /64 route on that device), and
 * the router (the default route's gateway). Pure; null when there is none (offline, IPv4-only
 * uplink, a link without router advertisements): the network then keeps its own IPv6 (the ULA).
 */
import type { HostAddress, HostFacts, HostRoute } from '../model/host-facts'
import type { Cidr } from '../net/cidr'
import { cidrContainsIp, cidrOf, formatCidr, parseCidr } from '../net/cidr'
import { parseIp } from '../net/ip'

/** The only prefix length SLAAC works with on Ethernet and Wi-Fi (RFC 4862, RFC 2464). */
export const LAN_PREFIX_LENGTH = 64

export interface LanUplink {
  dev: string
  /** The on-link /64: `2001:db8:aa::/64`. */
  prefix: string
  /** The router the default route goes through (usually its link-local address); null: none given. */
  router: string | null
  /** The host's own address in the prefix on `dev`. */
  hostAddress: string
}

const ULA = parseCidr('fc00::/7') as Cidr

function ipv6Defaults(routes: readonly HostRoute[], dev: string | undefined): HostRoute[] {
  return routes
    .filter(
      (r) =>
        r.family === 6 &&
        r.dst === '::/0' &&
        r.table === 'main' &&
        (r.type ?? 'unicast') === 'unicast' &&
        r.dev !== undefined &&
        (dev === undefined || r.dev === dev)
    )
    .sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0))
}

function usable(a: HostAddress, dev: string): boolean {
  return (
    a.family === 6 &&
    a.ifname === dev &&
    a.prefix === LAN_PREFIX_LENGTH &&
    (a.scope ?? 'global') === 'global' &&
    a.tentative === undefined &&
    a.deprecated === undefined
  )
}

/** Of the usable addresses, one whose /64 is on-link (a route on `dev`): global before ULA, learned before static. */
function onLinkAddress(facts: HostFacts, dev: string): { address: string; prefix: Cidr } | null {
  const onLink = new Set(
    facts.routes.filter((r) => r.family === 6 && r.dev === dev && r.table === 'main').map((r) => r.dst)
  )
  const found = facts.addresses.flatMap((a) => {
    const ip = usable(a, dev) ? parseIp(a.address) : null
    if (!ip) return []
    const prefix = cidrOf(ip, LAN_PREFIX_LENGTH)
    return onLink.has(formatCidr(prefix)) ? [{ address: a.address, prefix, ula: cidrContainsIp(ULA, ip), a }] : []
  })
  found.sort((x, y) => Number(x.ula) - Number(y.ula) || Number(!x.a.dynamic) - Number(!y.a.dynamic))
  return found[0] ?? null
}

export function lanUplinkOf(
  facts: HostFacts | undefined,
  opts: { dev?: string; exclude?: string } = {}
): LanUplink | null {
  if (!facts) return null
  for (const route of ipv6Defaults(facts.routes, opts.dev)) {
    const dev = route.dev as string
    if (dev === opts.exclude) continue
    const on = onLinkAddress(facts, dev)
    if (on) return { dev, prefix: formatCidr(on.prefix), router: route.gateway ?? null, hostAddress: on.address }
  }
  return null
}
