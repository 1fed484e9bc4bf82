/** Our networks as the checks see them, from their stored definitions. Pure. */
import type { NetworkDef } from '../../core/model/network'
import { analyseNetwork } from '../../core/plan/network-shape'
import { spanPort } from '../../core/model/span'
import type { ObservedNetwork, ObservedSpan } from '../model'

function observedSpan(def: NetworkDef): ObservedSpan | undefined {
  const s = def.guestnet?.span
  if (!s) return undefined
  return {
    vni: s.vni,
    port: spanPort(s),
    underlay: s.underlay,
    peers: s.peers.map((p) => p.address),
    mtu: def.mtu ?? null
  }
}

/** Null when the definition cannot be analysed (no concrete bridge yet, a broken address): nothing to check for it. */
export function observedNetwork(def: NetworkDef, running: boolean): ObservedNetwork | null {
  let shape
  try {
    shape = analyseNetwork(def)
  } catch {
    return null
  }
  const span = observedSpan(def)
  const cidr = (b: (typeof shape.ipv4)[number]): string => `${b.ip.address}/${b.ip.prefix}`
  return {
    name: def.name,
    bridge: shape.bridge,
    running,
    mode: def.forward.mode,
    isolated: shape.isolated,
    ipv4: shape.ipv4.map(cidr),
    ipv6: shape.ipv6.map(cidr),
    subnets: [...shape.ipv4, ...shape.ipv6].map((b) => b.subnetText),
    dhcp4: shape.needsDnsmasq && shape.dhcp4 !== undefined,
    dhcp6: shape.needsDnsmasq && shape.dhcp6 !== undefined,
    dns: shape.needsDnsmasq && shape.dnsEnabled,
    ...(span ? { span } : {})
  }
}
