/**
 * A guestnet network definition: the subset of libvirt's network XML that guestnet understands
 * (docs: test/conformance/libvirt/docs/formatnetwork.rst). Parsed from and written back to XML
 * by `core/xml`; checked by `core/validate`; turned into privileged steps by `core/plan`.
 */

import type { GuestnetSettings } from './guestnet-settings'

/**
 * `none` is an isolated network: no `<forward>` element. `bridge` hands guests to a bridge the host
 * already has (`<bridge name>`, e.g. br0 with the wired NIC in it): guestnet creates and changes
 * nothing for it; the LAN gives the guests their addresses.
 */
export type ForwardMode = 'nat' | 'route' | 'open' | 'none' | 'bridge'

export interface NatConfig {
  /** `<nat><address start end/>`: SNAT to this IPv4 range instead of masquerade. */
  addressStart?: string
  addressEnd?: string
  /** `<nat><port start end/>`: source port range for masquerade / SNAT. */
  portStart?: number
  portEnd?: number
  /** `<nat ipv6='yes'>`: masquerade IPv6 too (NAT66) instead of routing it. */
  ipv6?: boolean
}

export interface ForwardConfig {
  mode: ForwardMode
  /** `forward dev=`: pin the uplink. Absent: whichever uplink holds the default route. */
  dev?: string
  nat?: NatConfig
}

export interface BridgeConfig {
  name?: string
  /** `zone=`: the firewalld zone the bridge belongs in (kept and written back; no runtime action yet). */
  zone?: string
  stp?: boolean
  delay?: number
  /**
   * `macTableManager='kernel'`: the kernel learns guests' MACs and floods unknown ones, which is what
   * every guestnet bridge does anyway. libvirt's other value, 'libvirt', is refused by the parser.
   */
  macTableManager?: 'kernel'
}

/** `<port isolated>`: with `true`, guests on the network reach the host but not each other. */
export interface PortConfig {
  isolated: boolean
}

/**
 * `<route address prefix gateway [metric] [family='ipv6']/>`: a static route on the host, through a
 * guest that routes (the gateway sits in one of the network's own subnets).
 */
export interface StaticRoute {
  /** From `family=`; libvirt reads a route without it as IPv4. */
  family: IpFamily
  /** True when the source wrote `family='ipv4'` (the writer keeps it). */
  familyGiven?: boolean
  /** The destination network (host bits clear). */
  address: string
  prefix: number
  /** True when the source used `netmask=` (IPv4 only), so the writer keeps that spelling. */
  fromNetmask?: boolean
  gateway: string
  metric?: number
}

export interface DomainConfig {
  name: string
  localOnly?: boolean
}

export interface DnsForwarder {
  addr?: string
  domain?: string
}

export interface DnsHost {
  ip: string
  hostnames: string[]
}

export interface DnsSrv {
  service: string
  protocol: string
  domain?: string
  target?: string
  port?: number
  priority?: number
  weight?: number
}

export interface DnsTxt {
  name: string
  value: string
}

export interface DnsConfig {
  /** `enable='no'` turns DNS off (dnsmasq port=0). */
  enable?: boolean
  forwardPlainNames?: boolean
  forwarders: DnsForwarder[]
  hosts: DnsHost[]
  srvs: DnsSrv[]
  txts: DnsTxt[]
}

export type LeaseUnit = 'seconds' | 'minutes' | 'hours'

/** A lease length; `expiry: 0` means infinite. */
export interface Lease {
  expiry: number
  unit: LeaseUnit
}

export interface DhcpRange {
  start: string
  end: string
  lease?: Lease
}

export interface DhcpHost {
  mac?: string
  /** DHCPv6 client DUID (`host id=`). */
  id?: string
  name?: string
  ip?: string
  lease?: Lease
}

/** `<dhcp><bootp file server/>`: the network-boot (PXE) file offered to IPv4 DHCP clients. */
export interface DhcpBootp {
  /** The boot file name the client fetches (`pxelinux.0`, `ipxe.efi`). */
  file: string
  /** The TFTP server's IPv4 address; absent: the host itself (dnsmasq). */
  server?: string
}

export interface DhcpConfig {
  ranges: DhcpRange[]
  hosts: DhcpHost[]
  bootp?: DhcpBootp
}

/** `<tftp root>`: dnsmasq's TFTP server, serving this directory to the guests (IPv4 only). */
export interface TftpConfig {
  /** Absolute, normalised path of the directory served. */
  root: string
}

export type IpFamily = 'ipv4' | 'ipv6'

export interface IpConfig {
  family: IpFamily
  /** The host's (gateway's) address on the bridge. */
  address: string
  /** Prefix length; from `prefix=` or derived from `netmask=` (IPv4 only). */
  prefix: number
  /** True when the source used `netmask=`, so the writer can keep the admin's spelling. */
  fromNetmask?: boolean
  localPtr?: boolean
  tftp?: TftpConfig
  dhcp?: DhcpConfig
}

export type { GuestnetSettings } from './guestnet-settings'

export interface NetworkDef {
  name: string
  uuid?: string
  title?: string
  description?: string
  /** `<network ipv6='yes'>`: IPv6 between guests even without an IPv6 address on the bridge. */
  ipv6?: boolean
  forward: ForwardConfig
  bridge?: BridgeConfig
  mtu?: number
  mac?: string
  domain?: DomainConfig
  dns?: DnsConfig
  port?: PortConfig
  ips: IpConfig[]
  routes?: StaticRoute[]
  /** guestnet's own settings, kept in `<metadata>` (guestnet-settings.ts). */
  guestnet?: GuestnetSettings
}
