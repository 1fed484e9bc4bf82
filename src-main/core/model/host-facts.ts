/**
 * What guestnet knows about the host's own networks: addresses and routes in every routing table.
 * Built from `ip -j addr`, `ip -j route show table all` and `ip -j -6 route show table all`
 * (see `core/host/parse-host-facts.ts`), so the logic runs the same on recorded JSON.
 */

export type AddrFamily = 4 | 6

export interface HostAddress {
  ifname: string
  family: AddrFamily
  /** The address itself, e.g. `192.168.1.23`. */
  address: string
  prefix: number
  scope?: string
  /** Still in duplicate address detection, or failed it: not usable yet. */
  tentative?: true
  /** Its preferred lifetime ran out (or a router set it to 0): kept for old connections only. */
  deprecated?: true
  /** Learned with a lifetime (SLAAC from a router advertisement, DHCP), not set by hand. */
  dynamic?: true
}

export interface HostRoute {
  family: AddrFamily
  /** Destination network as CIDR (`10.0.0.0/8`, `2001:db8::/32`); `default` routes use `0.0.0.0/0` / `::/0`. */
  dst: string
  dev?: string
  /** Routing table name or number as `ip` prints it (`main`, `local`, `51820`). */
  table: string
  type?: string
  gateway?: string
  protocol?: string
  /** Route metric (priority): of two default routes in one table, the lower is used. */
  metric?: number
  /** A route's own MTU (`ip route … mtu 1400`), which caps the device's for traffic it carries. */
  mtu?: number
}

/** An interface and its MTU, from the same `ip -j addr` output. */
export interface HostLink {
  ifname: string
  mtu: number
}

export interface HostFacts {
  addresses: HostAddress[]
  routes: HostRoute[]
  /** Interfaces with their MTU (absent in facts recorded or built without them). */
  links?: HostLink[]
}

/** The recorded-JSON file format taken by `--host-facts`: the raw output of the three `ip -j` commands. */
export interface RawHostFacts {
  addr: unknown
  route4: unknown
  route6: unknown
}
