/**
 * Port forwards in the network's table (an NftFeature, registered in nft-features.ts):
 *   port_forwards       (nat prerouting)  DNAT of traffic to a host address on the port, from the
 *                       uplinks and from the guests themselves (hairpin)
 *   port_forwards_host  (nat output)      the same for the host's own connections to its addresses
 *   forward             accept what was DNATed to this bridge (to_guests would refuse it as new)
 *   postrouting         hairpin: a guest reaching another guest through a host address gets the
 *                       host as source, so the reply comes back through the host to be un-NATed
 *   to_guests           IPv6 outside a ULA: no NAT, a pinhole for new connections to guest:port
 * Only forwards whose guest has a known address get rules (resolve-forwards.ts); every address is
 * re-formatted from its parsed value, so nothing from the file reaches nft as it was written.
 */
import type { ResolvedForward } from '../forward/resolve-forwards'
import { NO_GUESTS, resolveForwards } from '../forward/resolve-forwards'
import type { PortForward } from '../model/port-forward'
import { cidrContainsIp, parseCidr } from '../net/cidr'
import type { Family } from '../net/ip'
import { formatIp, parseIp } from '../net/ip'
import type { NftExtras, NftFeature } from './nft-extras'
import type { NetworkShape } from './network-shape'

const ULA = parseCidr('fc00::/7')

function isUlaAddress(text: string): boolean {
  const ip = parseIp(text)
  return ip !== null && ULA !== null && cidrContainsIp(ULA, ip)
}

function destinationMatch(f: PortForward, family: Family): string {
  const address = f.address === undefined ? null : parseIp(f.address)
  if (address) return `${family === 4 ? 'ip' : 'ip6'} daddr ${formatIp(address)}`
  return family === 4 ? 'fib daddr type local ip daddr != 127.0.0.0/8' : 'fib daddr type local ip6 daddr != ::1'
}

function dnatRule(r: ResolvedForward, family: Family, guest: string): string {
  const f = r.forward
  const to = family === 4 ? `${guest}:${f.toPort ?? f.port}` : `[${guest}]:${f.toPort ?? f.port}`
  return `${destinationMatch(f, family)} ${f.proto} dport ${f.port} dnat ${family === 4 ? 'ip' : 'ip6'} to ${to}`
}

interface ForwardRules {
  dnat: string[]
  pinholes: string[]
}

/** `# tcp/2222 → 192.168.122.10`, from parsed values only (a file's text never reaches nft). */
function comment(f: PortForward, guest: string): string {
  const address = f.address === undefined ? null : parseIp(f.address)
  return `# ${f.proto}/${f.port}${address ? `@${formatIp(address)}` : ''} → ${guest}`
}

function rulesOf(resolved: ResolvedForward[]): ForwardRules {
  const out: ForwardRules = { dnat: [], pinholes: [] }
  for (const r of resolved) {
    const f = r.forward
    if (r.ipv4 !== null) out.dnat.push(comment(f, r.ipv4), dnatRule(r, 4, r.ipv4))
    if (r.ipv6 === null) continue
    const rule = `ip6 daddr ${r.ipv6} ${f.proto} dport ${f.port} ct state new accept`
    if (isUlaAddress(r.ipv6)) out.dnat.push(comment(f, r.ipv6), dnatRule(r, 6, r.ipv6))
    else out.pinholes.push(comment(f, r.ipv6), rule)
  }
  return out
}

function hairpin(shape: NetworkShape): string[] {
  const br = `"${shape.bridge}"`
  return [...shape.ipv4, ...shape.ipv6].map((b) => {
    const fam = b.ip.family === 'ipv4' ? 'ip' : 'ip6'
    return `oifname ${br} ct status dnat ${fam} saddr ${b.subnetText} ${fam} daddr ${b.subnetText} masquerade`
  })
}

export const portForwardRules: NftFeature = (shape, ctx): NftExtras => {
  if ((shape.def.guestnet?.portForwards ?? []).length === 0) return {}
  const rules = rulesOf(resolveForwards(shape.def, ctx.guests ?? NO_GUESTS))
  const out: NftExtras = {}
  if (rules.pinholes.length > 0)
    out.toGuests = ['# port forwards: pinholes to guests with routed IPv6', ...rules.pinholes]
  if (rules.dnat.length === 0) return out
  const br = `"${shape.bridge}"`
  out.forward = ['# port forwards: what was DNATed to this bridge', `oifname ${br} ct status dnat accept`]
  out.postrouting = ['# port forwards between guests (hairpin): replies come back through the host', ...hairpin(shape)]
  out.chains = [
    { name: 'port_forwards', base: 'type nat hook prerouting priority dstnat; policy accept;', lines: rules.dnat },
    {
      name: 'port_forwards_host',
      base: 'type nat hook output priority -100; policy accept;',
      lines: rules.dnat
    }
  ]
  return out
}
