/**
 * A port forward into a network (`<gn:forward proto='tcp' port='2222' to='…' toPort='22'/>` in the
 * network's `<metadata>`): traffic to a host address on `port` reaches a guest on `toPort`.
 * `to` is an address in the network, a guest's MAC (the forward follows its lease and SLAAC
 * address) or the name of a DHCP reservation.
 */
export const FORWARD_PROTOS = ['tcp', 'udp'] as const
export type ForwardProto = (typeof FORWARD_PROTOS)[number]

export const FORWARD_FAMILIES = ['ipv4', 'ipv6', 'both'] as const
export type ForwardFamily = (typeof FORWARD_FAMILIES)[number]

/** More would only make a hostile file expensive: a network with this many forwards is a mistake. */
export const MAX_PORT_FORWARDS = 1024

export interface PortForward {
  proto: ForwardProto
  /** The port on the host, 1–65535. */
  port: number
  /** An IPv4 (or IPv6) address in the network, a MAC, or a DHCP reservation's name. */
  to: string
  /** The guest's port; absent: the same as `port`. */
  toPort?: number
  /** Absent: ipv4. */
  family?: ForwardFamily
  /** Only traffic to this host address; absent: every address of the host. */
  address?: string
}

export function forwardFamily(f: PortForward): ForwardFamily {
  return f.family ?? 'ipv4'
}

export function forwardFamilies(f: PortForward): (4 | 6)[] {
  const fam = forwardFamily(f)
  return fam === 'both' ? [4, 6] : fam === 'ipv6' ? [6] : [4]
}

/** `tcp/2222` or `tcp/2222@203.0.113.5`: how a forward is named in messages and by `net-forward-del`. */
export function forwardKey(f: Pick<PortForward, 'proto' | 'port' | 'address'>): string {
  return `${f.proto}/${f.port}${f.address !== undefined ? `@${f.address}` : ''}`
}
