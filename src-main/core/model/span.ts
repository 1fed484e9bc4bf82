/**
 * One network across several hosts (`<gn:span vni='4242' port='4789' underlay='198.51.100.1'
 * slice='1/3'><gn:peer address='198.51.100.2'/></gn:span>` in the network's `<metadata>`): the
 * bridge gets a VXLAN port to the peer hosts, every host is the same gateway, and this host's
 * dnsmasq hands out only its slice of the DHCP range (docs/several-hosts.md).
 */

/** VXLAN's well-known UDP port (RFC 7348), the default of `port=`. */
export const VXLAN_PORT = 4789
/** VXLAN over IPv4 adds 50 bytes: outer IPv4 (20), UDP (8), VXLAN (8), inner Ethernet (14). */
export const VXLAN_OVERHEAD = 50
export const MAX_VNI = 16_777_215
/** Head-end replication copies every broadcast once per peer: more than this is a job for OVN. */
export const MAX_SPAN_PEERS = 64

export interface SpanPeer {
  /** The peer host's underlay address (IPv4). */
  address: string
}

/** `slice='2/3'`: this host serves the 2nd of 3 equal, disjoint parts of each IPv4 DHCP range. */
export interface SpanSlice {
  part: number
  of: number
}

export interface Span {
  /** The VXLAN network identifier, the same on every host (1–16777215). */
  vni: number
  /** The UDP port; absent: 4789. */
  port?: number
  /** This host's own underlay address, the VXLAN's local end (differs per host). */
  underlay: string
  /** Absent: the whole range (a span of one host, or DHCP off). */
  slice?: SpanSlice
  peers: SpanPeer[]
}

export function spanPort(s: Pick<Span, 'port'>): number {
  return s.port ?? VXLAN_PORT
}

/** The VXLAN device's name: one per VNI on a host (`gnvx4242`, at most 12 characters). */
export function vxlanName(s: Pick<Span, 'vni'>): string {
  return `gnvx${s.vni}`
}

/** What a VXLAN name in a record or a built-in's argument must look like. */
export const VXLAN_NAME = /^gnvx[1-9][0-9]{0,7}$/
