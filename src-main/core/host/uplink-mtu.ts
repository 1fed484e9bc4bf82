/**
 * The MTU of the path out of the host, and the MTU guests should use. Pure.
 *
 * The path MTU through the uplink is the MTU of the device the default route leaves by, capped by
 * the route's own `mtu` if it has one: 1500 on Ethernet and Wi-Fi, 1492 on PPPoE, 1420 on a
 * WireGuard tunnel (wg-quick's default), whatever a tun device was given (OpenVPN, 1500 or less).
 * Every default route counts, in every routing table (the lowest metric of each table): VPN clients
 * send traffic through a default route in a table of their own (wg-quick's 51820, Tailscale's 52)
 * chosen by policy rules the host facts do not hold, so the smallest of them is the safe answer; a
 * guest MTU a little too small costs a few bytes per packet, one too large loses large packets.
 */
import type { HostFacts, HostRoute } from '../model/host-facts'
import type { NetworkDef } from '../model/network'

/** Ethernet's MTU: what guests use when nobody tells them otherwise. */
export const ETHERNET_MTU = 1500
/** IPv6's minimum link MTU (RFC 8200): guests are never told less. */
export const IPV6_MIN_MTU = 1280

export interface UplinkMtu {
  mtu: number
  /** The device of the default route with the smallest MTU. */
  dev: string
  table: string
}

export type GuestMtuSource = 'definition' | 'uplink' | 'default'

export interface GuestMtu {
  mtu: number
  /** `definition`: the admin's `<mtu size>`; `uplink`: follows the uplink; `default`: no uplink known, 1500. */
  source: GuestMtuSource
  /** The uplink it follows (source `uplink`). */
  uplink?: UplinkMtu
}

function isDefaultRoute(r: HostRoute): boolean {
  return (r.dst === '0.0.0.0/0' || r.dst === '::/0') && (r.type ?? 'unicast') === 'unicast' && r.table !== 'local'
}

/** The routes in use: per family and table, the default routes with the lowest metric. */
function defaultsInUse(routes: readonly HostRoute[]): HostRoute[] {
  const best = new Map<string, HostRoute[]>()
  for (const r of routes) {
    if (!isDefaultRoute(r) || r.dev === undefined) continue
    const key = `${r.family}|${r.table}`
    const have = best.get(key)
    const metric = r.metric ?? 0
    const haveMetric = have?.[0].metric ?? 0
    if (!have || metric < haveMetric) best.set(key, [r])
    else if (metric === haveMetric) have.push(r)
  }
  return [...best.values()].flat()
}

/** The path MTU through the active uplink; null when the host has no default route (offline) or no link MTUs. */
export function uplinkPathMtu(facts: HostFacts): UplinkMtu | null {
  const mtuOf = new Map((facts.links ?? []).map((l) => [l.ifname, l.mtu]))
  let found: UplinkMtu | null = null
  for (const r of defaultsInUse(facts.routes)) {
    const dev = r.dev
    const linkMtu = dev === undefined ? undefined : mtuOf.get(dev)
    if (dev === undefined || linkMtu === undefined) continue
    const mtu = Math.min(linkMtu, r.mtu ?? linkMtu)
    if (found === null || mtu < found.mtu) found = { mtu, dev, table: r.table }
  }
  return found
}

/**
 * The MTU guests should use: the admin's `<mtu size>` as given; otherwise the smaller of the bridge's
 * (1500) and the uplink's path MTU, never below IPv6's 1280 (TCP through a still smaller path is
 * covered by the MSS clamp, which follows the route itself).
 */
export function guestMtu(def: Pick<NetworkDef, 'mtu'>, facts: HostFacts | undefined): GuestMtu {
  if (def.mtu !== undefined) return { mtu: def.mtu, source: 'definition' }
  const uplink = facts ? uplinkPathMtu(facts) : null
  if (uplink === null) return { mtu: ETHERNET_MTU, source: 'default' }
  return { mtu: Math.max(IPV6_MIN_MTU, Math.min(ETHERNET_MTU, uplink.mtu)), source: 'uplink', uplink }
}

/**
 * The MTU to announce to guests (DHCP option 26, the RA MTU option) when guestnet follows the
 * uplink: only below 1500, since 1500 is what every Ethernet guest assumes anyway, so a network on
 * an ordinary uplink keeps libvirt's exact dnsmasq configuration. null: announce nothing of ours.
 */
export function announcedUplinkMtu(m: GuestMtu): number | null {
  return m.source === 'uplink' && m.mtu < ETHERNET_MTU ? m.mtu : null
}
