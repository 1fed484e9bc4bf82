/**
 * A spanning network's rules (docs/several-hosts.md). In the inet table: VXLAN to this host's
 * underlay address is admitted only from the listed peers. In the bridge table, on the VXLAN port:
 * every host is the same gateway (same address, same MAC), so nothing of the gateway's crosses it —
 * no frame the host itself sends, none delivered to it, no guest's ARP for the gateway address and
 * no DHCP either way — and each host's dnsmasq serves only the guests on that host. Pure.
 */
import type { Span } from '../model/span'
import { spanPort, vxlanName } from '../model/span'
import { canonicalIp } from '../net/ip'
import type { NftChain, NftFeature } from './nft-extras'
import type { NetworkShape } from './network-shape'

export function spanOf(shape: NetworkShape): Span | undefined {
  return shape.def.forward.mode === 'nat' || shape.def.forward.mode === 'route' ? shape.def.guestnet?.span : undefined
}

export const spanInputRules: NftFeature = (shape) => {
  const span = spanOf(shape)
  if (!span) return {}
  const to = `ip daddr ${canonicalIp(span.underlay) ?? span.underlay} udp dport ${spanPort(span)}`
  const peers = span.peers.map((p) => canonicalIp(p.address) ?? p.address)
  return {
    input: [
      `# VXLAN ${span.vni} only from the peer hosts`,
      peers.length > 0 ? `${to} ip saddr != { ${peers.join(', ')} } drop` : `${to} drop`
    ]
  }
}

/** The bridge-family chains on the VXLAN port (in the network's `bridge` table). */
export function spanBridgeChains(shape: NetworkShape, span: Span): NftChain[] {
  const vx = `"${vxlanName(span)}"`
  const base = (hook: string): string => `type filter hook ${hook} priority filter; policy accept;`
  const gateways = shape.ipv4.map((b) => canonicalIp(b.ip.address) ?? b.ip.address)
  const forward = [
    "# a guest's ARP for the gateway is answered on its own host, never flooded to the others",
    ...gateways.map((gw) => `oifname ${vx} arp daddr ip ${gw} drop`),
    '# DHCP stays on each host: its dnsmasq serves its own slice to its own guests',
    `oifname ${vx} udp dport { 67, 68 } drop`,
    `iifname ${vx} udp dport { 67, 68 } drop`
  ]
  if (shape.def.mac)
    forward.push(
      "# another host's gateway (the same MAC) never speaks here",
      `iifname ${vx} ether saddr ${shape.def.mac.toLowerCase()} drop`
    )
  return [
    {
      name: 'span_input',
      base: base('input'),
      lines: ["# nothing from the other hosts reaches this host's gateway", `iifname ${vx} drop`]
    },
    {
      name: 'span_output',
      base: base('output'),
      lines: ["# nothing this host's gateway sends reaches the other hosts", `oifname ${vx} drop`]
    },
    { name: 'span_forward', base: base('forward'), lines: forward }
  ]
}
