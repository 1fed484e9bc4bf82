/**
 * `<gn:span>`: the VXLAN's identity and ends, the peers, the slice of the DHCP range, and what a
 * network must be to span hosts (a gateway of its own with a fixed MAC, IPv4, guestnet's firewall).
 */
import { underlayLink, vxlanMtu } from '../host/underlay'
import { sliceRange } from '../address/dhcp-slice'
import type { HostFacts } from '../model/host-facts'
import type { NetworkDef } from '../model/network'
import type { Span } from '../model/span'
import { MAX_VNI, spanPort } from '../model/span'
import { cidrContainsIp } from '../net/cidr'
import { canonicalIp, parseIPv4 } from '../net/ip'
import type { CheckedIp } from './check-ips'
import type { Problems } from './problems'
import { printable } from './syntax'

const PATH = 'metadata.span'

function checkIdentity(span: Span, p: Problems): void {
  if (span.vni < 1 || span.vni > MAX_VNI)
    p.add(`${PATH}.vni`, `VNI ${span.vni} is out of range`, `use a VNI from 1 to ${MAX_VNI}, the same on every host`)
  if (span.port !== undefined && (span.port < 1 || span.port > 65535))
    p.add(
      `${PATH}.port`,
      `port ${span.port} is out of range`,
      "use a port from 1 to 65535, or leave out port= for VXLAN's 4789"
    )
}

function inNetwork(address: string, ips: CheckedIp[]): boolean {
  const ip = parseIPv4(address)
  return ip !== null && ips.some((b) => cidrContainsIp(b.subnet, ip))
}

function checkEnds(span: Span, ips: CheckedIp[], p: Problems): void {
  const underlay = canonicalIp(span.underlay)
  if (parseIPv4(span.underlay) === null)
    p.add(
      `${PATH}.underlay`,
      `'${printable(span.underlay)}' is not an IPv4 address`,
      "give this host's own address on the LAN (or WireGuard) the peers reach it at, e.g. underlay='198.51.100.1'"
    )
  else if (inNetwork(span.underlay, ips))
    p.add(
      `${PATH}.underlay`,
      `${span.underlay} is inside the network itself`,
      "give the host's address on the LAN, outside the guests' subnet"
    )
  const seen = new Set<string>()
  span.peers.forEach((peer, i) => {
    const path = `${PATH}.peer[${i}].address`
    const key = canonicalIp(peer.address)
    if (parseIPv4(peer.address) === null || key === null) {
      p.add(
        path,
        `'${printable(peer.address)}' is not an IPv4 address`,
        "give the peer host's underlay address, e.g. address='198.51.100.2'"
      )
      return
    }
    if (key === underlay)
      p.add(path, `${peer.address} is this host's own underlay address`, 'remove the peer: a host is not its own peer')
    else if (seen.has(key)) p.add(path, `${peer.address} is listed twice`, 'remove one of the two peers')
    else if (inNetwork(peer.address, ips))
      p.add(
        path,
        `${peer.address} is inside the network itself`,
        "give the peer host's address on the LAN, outside the guests' subnet"
      )
    seen.add(key)
  })
}

function checkNetwork(def: NetworkDef, ips: CheckedIp[], p: Problems): void {
  const mode = def.forward.mode
  // 'open' has no table of guestnet's, so nothing would admit VXLAN from the peers only.
  if (mode !== 'nat' && mode !== 'route')
    p.add(
      PATH,
      `a network with forward mode '${mode}' cannot span hosts`,
      mode === 'none'
        ? "give it <forward mode='nat'/> (each host is a gateway of its own), or remove <gn:span>"
        : mode === 'open'
          ? "use mode='route': an open network has no firewall of guestnet's to admit VXLAN from the peers only"
          : "use mode='nat' or 'route', or remove <gn:span>"
    )
  if (!ips.some((b) => b.family === 4))
    p.add(
      PATH,
      'a spanning network needs an IPv4 <ip>: the gateway every host is',
      "add <ip address='192.168.50.1' prefix='24'>"
    )
  const v6 = ips.find((b) => b.family === 6)
  if (v6)
    p.add(
      `${v6.path}`,
      'IPv6 on a network that spans hosts is not supported yet (every host would advertise itself as the router)',
      'remove the IPv6 <ip>, or remove <gn:span>'
    )
  if (def.mac === undefined)
    p.add(
      'mac.address',
      'a spanning network needs a fixed bridge MAC: every host is the same gateway, at the same MAC',
      "add <mac address='52:54:00:xx:xx:xx'/> and use the same on every host"
    )
}

function checkSlice(span: Span, ips: CheckedIp[], p: Problems): void {
  const dhcp = ips.find((b) => b.family === 4 && (b.config.dhcp?.ranges.length ?? 0) > 0)
  const hosts = span.peers.length + 1
  const slice = span.slice
  if (slice === undefined) {
    if (dhcp && span.peers.length > 0)
      p.add(
        `${PATH}.slice`,
        `${hosts} hosts would hand out the same addresses from one DHCP range`,
        `give each host its own part of the range: slice='1/${hosts}' here, '2/${hosts}' on the next host, …`
      )
    return
  }
  if (slice.of < 1 || slice.part < 1 || slice.part > slice.of) {
    p.add(`${PATH}.slice`, `slice '${slice.part}/${slice.of}' has no such part`, `use 1/${hosts} to ${hosts}/${hosts}`)
    return
  }
  if (slice.of < hosts)
    p.add(
      `${PATH}.slice`,
      `slice '${slice.part}/${slice.of}' splits the range in ${slice.of} but the span has ${hosts} hosts`,
      `split it in at least ${hosts}: slice='${slice.part}/${hosts}' (and each host its own part)`
    )
  for (const [i, range] of (dhcp?.config.dhcp?.ranges ?? []).entries()) {
    const start = parseIPv4(range.start)
    const end = parseIPv4(range.end)
    if (start === null || end === null || end.value < start.value) continue
    if (sliceRange({ start, end }, slice) === null)
      p.add(
        `${dhcp?.path ?? 'ip'}.dhcp.range[${i}]`,
        `the range has fewer than ${slice.of} addresses, so it cannot be split in ${slice.of}`,
        'widen the range, or split it in fewer parts'
      )
  }
}

/** A span's MTU: the guests' frames plus 50 bytes must fit the underlay. */
function checkMtu(def: NetworkDef, span: Span, facts: HostFacts | undefined, p: Problems): void {
  const max = vxlanMtu(facts, span.underlay)
  if (def.mtu !== undefined && def.mtu > max)
    p.add(
      'mtu.size',
      `MTU ${def.mtu} does not fit the VXLAN: the underlay carries ${max} bytes of guest frame`,
      `use <mtu size='${max}'/> or less, or remove <mtu>`
    )
}

function otherSpan(other: unknown): { name: string; span: Span } | null {
  if (typeof other !== 'object' || other === null) return null
  const o = other as { name?: unknown; guestnet?: { span?: unknown } }
  const span = o.guestnet?.span as Partial<Span> | undefined
  if (typeof o.name !== 'string' || typeof span !== 'object' || span === null || typeof span.vni !== 'number')
    return null
  return { name: o.name, span: span as Span }
}

export interface SpanContext {
  others: readonly unknown[]
  hostFacts?: HostFacts
}

export function checkSpan(def: NetworkDef, ips: CheckedIp[], ctx: SpanContext, p: Problems): void {
  const span = def.guestnet?.span
  if (!span) return
  checkIdentity(span, p)
  checkEnds(span, ips, p)
  checkNetwork(def, ips, p)
  checkSlice(span, ips, p)
  checkMtu(def, span, ctx.hostFacts, p)
  if (ctx.hostFacts && parseIPv4(span.underlay) !== null && underlayLink(ctx.hostFacts, span.underlay) === null)
    p.add(
      `${PATH}.underlay`,
      `${span.underlay} is not an address of this host`,
      "give this host's own underlay address (each host's definition names its own), see `ip -4 addr`"
    )
  for (const other of ctx.others) {
    const o = otherSpan(other)
    if (!o || o.name === def.name) continue
    if (o.span.vni === span.vni && spanPort(o.span) === spanPort(span))
      p.add(
        `${PATH}.vni`,
        `VNI ${span.vni} is used already by network ${printable(o.name)}`,
        'give each spanning network its own VNI'
      )
  }
}
