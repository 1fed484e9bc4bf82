/**
 * `<gn:uplink ipv6='lan'/>` in a network's `<metadata>`: where the guests' addresses come from
 * besides the network's own subnets. `ipv6='lan'`: the on-link /64 of the host's active uplink,
 * announced on the bridge and reached from the LAN by proxy neighbour discovery (docs/uplink-modes.md);
 * IPv4 stays NATed. `ipv6='delegated'` and `ipv4='lan'` are read and named, not built yet: the
 * validator refuses them.
 */
export const UPLINK_IPV6_MODES = ['lan', 'delegated'] as const
export type UplinkIpv6Mode = (typeof UPLINK_IPV6_MODES)[number]

export const UPLINK_IPV4_MODES = ['lan'] as const
export type UplinkIpv4Mode = (typeof UPLINK_IPV4_MODES)[number]

export interface UplinkMode {
  ipv6?: UplinkIpv6Mode
  ipv4?: UplinkIpv4Mode
}

/** The modes guestnet can run today. */
export const BUILT_UPLINK_MODES: { ipv6: readonly UplinkIpv6Mode[]; ipv4: readonly UplinkIpv4Mode[] } = {
  ipv6: ['lan'],
  ipv4: []
}

export function wantsLanIpv6(def: { guestnet?: { uplink?: UplinkMode } }): boolean {
  return def.guestnet?.uplink?.ipv6 === 'lan'
}
