/**
 * What an `ipv6='lan'` network does with the uplink's prefix (docs/uplink-modes.md), worked out once
 * from the definition and the host facts. Pure.
 *
 * The bridge gets an address in the uplink's /64 with `noprefixroute` (the /64 stays routed to the
 * uplink, where the LAN is), and dnsmasq's constructor announces every such prefix it finds on the
 * bridge (`LAN_RA_LINE`): autonomous, off-link, so guests autoconfigure an address in it and send
 * everything, the LAN included, to the host, which routes it. A deprecated bridge address (after a
 * roam) is announced with preferred lifetime 0 by the same line, without restarting dnsmasq.
 * Each guest address the host sees gets a /128 route to the bridge and a proxy entry on the uplink.
 */
import { eui64Suffix } from '../forward/resolve-forwards'
import type { LanUplink } from '../host/lan-uplink'
import { LAN_PREFIX_LENGTH, lanUplinkOf } from '../host/lan-uplink'
import type { HostFacts } from '../model/host-facts'
import type { NetworkDef } from '../model/network'
import { wantsLanIpv6 } from '../model/uplink-mode'
import { parseCidr } from '../net/cidr'
import { formatIp } from '../net/ip'

export interface LanPlan extends LanUplink {
  /** The host's address in the prefix on the bridge: the prefix with the bridge MAC's EUI-64 identifier. */
  bridgeAddress: string
}

/** Used when a definition has no `<mac>` (guestnet gives every network one at define). */
const FALLBACK_IID = 0x0000_00ff_fe00_0001n

/** The bridge's address in `prefix` (a /64). */
export function bridgeLanAddress(prefix: string, mac: string | undefined): string | null {
  const cidr = parseCidr(prefix)
  if (!cidr || cidr.family !== 6 || cidr.prefix !== LAN_PREFIX_LENGTH) return null
  const iid = (mac === undefined ? null : eui64Suffix(mac)) ?? FALLBACK_IID
  return formatIp({ family: 6, value: cidr.network | iid })
}

/** The network's LAN prefix now; null when it is not an `ipv6='lan'` network or the uplink has none. */
export function lanPlanOf(def: NetworkDef, facts: HostFacts | undefined): LanPlan | null {
  if (!wantsLanIpv6(def)) return null
  const uplink = lanUplinkOf(facts, { dev: def.forward.dev, exclude: def.bridge?.name })
  if (!uplink) return null
  const bridgeAddress = bridgeLanAddress(uplink.prefix, def.mac)
  return bridgeAddress === null ? null : { ...uplink, bridgeAddress }
}

/** dnsmasq: announce each prefix of the bridge's own addresses that no other dhcp-range covers. */
export function lanRaLine(bridge: string): string {
  return `dhcp-range=::,constructor:${bridge},ra-only,off-link,${LAN_PREFIX_LENGTH}`
}

/** The bridge's address line in the ip batch. */
export function lanAddressLine(lan: LanPlan, bridge: string): string {
  return `address add ${lan.bridgeAddress}/${LAN_PREFIX_LENGTH} dev ${bridge} noprefixroute nodad`
}

/** The nft set of guest addresses in the LAN prefix seen by the host (the helper reads it). */
export const LAN_SEEN_SET = 'lan_seen'
/** How long a guest address stays in the set (and so keeps its proxy entry) after its last packet. */
export const LAN_SEEN_TIMEOUT = '1h'
