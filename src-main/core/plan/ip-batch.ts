/**
 * The bridge as `ip -batch` files: one `ip` process instead of one per setting.
 *
 * STP is off and forward_delay 0 whatever the XML says: a guestnet bridge has only guest ports,
 * and with STP on every new guest port waits 2 × forward_delay (≥ 4 s) before it forwards — the
 * long-standing complaint about libvirt's default. IPv4 addresses get `broadcast +`; IPv6 ones
 * `nodad`, so they are usable at once (the address is ours alone on a fresh bridge).
 *
 * IPv4-only networks need one file. IPv6 networks (link-local-only ones too) need two: the kernel refuses IPv6 addresses while
 * the new bridge's disable_ipv6 is 1 (it is copied from net.ipv6.conf.default), and that sysctl can
 * only be set once the bridge exists — so `ip.batch` creates the link, the helper sets the sysctls,
 * then `ip6.batch` adds the addresses and brings the link up.
 *
 * Static routes (`<route>`) come last, once the addresses are there and the link is up (the kernel
 * wants the gateway on a connected subnet). They are bound to the bridge, so `ip link del` of the
 * bridge removes them with it.
 */
import type { StaticRoute } from '../model/network'
import { canonicalIp } from '../net/ip'
import { GUESTNET_DEVGROUP } from './devgroup'
import type { AddressBlock, NetworkShape } from './network-shape'

export interface IpBatches {
  /** Link creation; for IPv4-only networks also the addresses and link up. */
  link: string
  /** IPv6 networks: all addresses and link up. Null for IPv4-only networks. */
  addresses: string | null
}

function addressLine(block: AddressBlock, bridge: string): string {
  const ip = canonicalIp(block.ip.address) ?? block.ip.address
  return block.ip.family === 'ipv4'
    ? `address add ${ip}/${block.ip.prefix} broadcast + dev ${bridge}`
    : `address add ${ip}/${block.ip.prefix} dev ${bridge} nodad`
}

function routeLine(route: StaticRoute, bridge: string): string {
  const address = canonicalIp(route.address) ?? route.address
  const gateway = canonicalIp(route.gateway) ?? route.gateway
  // ip takes the family from the addresses (a batch line cannot carry -6).
  const metric = route.metric === undefined ? '' : ` metric ${route.metric}`
  return `route add ${address}/${route.prefix} via ${gateway} dev ${bridge}${metric}`
}

/** `owner` becomes the bridge's alias: the mark stop and reconcile recognise it by (core/store/store-id.ts). */
export function renderIpBatches(shape: NetworkShape, owner: string, lanAddresses: readonly string[] = []): IpBatches {
  const { bridge, def } = shape
  const opts = [
    def.mtu ? ` mtu ${def.mtu}` : '',
    def.mac ? ` address ${def.mac.toLowerCase()}` : '',
    ` group ${GUESTNET_DEVGROUP}`
  ].join('')
  const create = `link add name ${bridge}${opts} type bridge stp_state 0 forward_delay 0`
  const mark = `link set dev ${bridge} alias ${owner}`
  const addresses = [...[...shape.ipv4, ...shape.ipv6].map((b) => addressLine(b, bridge)), ...lanAddresses]
  const up = `link set dev ${bridge} up`
  const routes = (def.routes ?? []).map((r) => routeLine(r, bridge))
  const text = (lines: string[]): string => lines.map((l) => `${l}\n`).join('')
  // Link-local-only IPv6 (ipv6='yes') also waits for the bridge's sysctls: its link comes up with
  // accept_ra already 0, so no guest's RA configures the host in between.
  if (!shape.bridgeIpv6) return { link: text([create, mark, ...addresses, up, ...routes]), addresses: null }
  return { link: text([create, mark]), addresses: text([...addresses, up, ...routes]) }
}
