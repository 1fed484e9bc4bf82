/** The underlay a spanning network's VXLAN runs on: the host's link holding its address, and that link's MTU. Pure. */
import type { HostFacts } from '../model/host-facts'
import { VXLAN_OVERHEAD } from '../model/span'
import { canonicalIp } from '../net/ip'
import { ETHERNET_MTU } from './uplink-mtu'

/** The interface that holds `address` on this host, or null (the facts do not list it). */
export function underlayLink(facts: HostFacts, address: string): string | null {
  const want = canonicalIp(address)
  if (want === null) return null
  return facts.addresses.find((a) => canonicalIp(a.address) === want)?.ifname ?? null
}

/** The MTU of the link holding `address`, or null when unknown. */
export function underlayMtu(facts: HostFacts | undefined, address: string): number | null {
  if (!facts) return null
  const dev = underlayLink(facts, address)
  if (dev === null) return null
  return facts.links?.find((l) => l.ifname === dev)?.mtu ?? null
}

/** The VXLAN port's MTU: the underlay's less VXLAN's 50 bytes (an unknown underlay counts as Ethernet's 1500). */
export function vxlanMtu(facts: HostFacts | undefined, address: string): number {
  return (underlayMtu(facts, address) ?? ETHERNET_MTU) - VXLAN_OVERHEAD
}
