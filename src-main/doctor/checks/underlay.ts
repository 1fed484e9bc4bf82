/**
 * Networks that span hosts (`<gn:span>`, docs/several-hosts.md): is this host's underlay address
 * here and up, does a route lead to each peer from it (`ip route get`, nothing is sent), and does
 * the underlay's MTU leave room for VXLAN's 50 bytes under the network's MTU. A firewall dropping
 * the VXLAN port is underlay-firewall.ts. Pure.
 */
import { IPV6_MIN_MTU } from '../../core/host/uplink-mtu'
import { VXLAN_OVERHEAD } from '../../core/model/span'
import { canonicalIp } from '../../core/net/ip'
import type { DoctorObservation, Finding, ObservedLink, ObservedNetwork, ObservedSpan } from '../model'

type Spanning = ObservedNetwork & { span: ObservedSpan }

export function spanningNetworks(obs: DoctorObservation): Spanning[] {
  return obs.networks.filter((n): n is Spanning => n.span !== undefined)
}

/** The link holding `address` (links list `address/prefix`). */
export function linkHolding(links: readonly ObservedLink[], address: string): ObservedLink | null {
  const want = canonicalIp(address)
  return want === null
    ? null
    : (links.find((l) => l.addresses.some((a) => canonicalIp(a.split('/')[0]) === want)) ?? null)
}

function finding(n: Spanning, subject: string, f: Omit<Finding, 'id' | 'check' | 'fix'>): Finding {
  return { id: `underlay/${n.name}-${subject}`.replace(/[^A-Za-z0-9_./-]/g, '_'), check: 'underlay', fix: null, ...f }
}

function addressFinding(n: Spanning, link: ObservedLink | null): Finding | null {
  const s = n.span
  if (link && link.up !== false) return null
  return finding(n, 'address', {
    severity: n.running ? 'error' : 'warning',
    title: link
      ? `${n.name}'s underlay ${link.ifname} (${s.underlay}) is down`
      : `${n.name}'s underlay address ${s.underlay} is not on this host`,
    explanation: link
      ? `The VXLAN of ${n.name} (VNI ${s.vni}) sends and receives on ${s.underlay}, which is on ${link.ifname}; that link is down, so the peer hosts are cut off.`
      : `The VXLAN of ${n.name} (VNI ${s.vni}) uses ${s.underlay} as this host's end, but no interface here holds that address: the port cannot be made, or carries nothing. Each host's definition names its own underlay address.`,
    evidence: [link ? `ip addr: ${link.ifname} is not UP` : `ip addr: no interface holds ${s.underlay}`],
    advice: link
      ? `bring ${link.ifname} up (ip link set ${link.ifname} up, or through the host's network manager)`
      : `set underlay='ADDRESS' in ${n.name}'s <gn:span> to an address of this host, or add ${s.underlay} to the interface facing the other hosts`
  })
}

function routeFindings(obs: DoctorObservation, n: Spanning): Finding[] {
  const routes = (obs.underlayRoutes ?? []).filter((r) => canonicalIp(r.from) === canonicalIp(n.span.underlay))
  return n.span.peers.flatMap((peer) => {
    const r = routes.find((x) => canonicalIp(x.peer) === canonicalIp(peer))
    if (!r || r.error === null) return []
    return [
      finding(n, `peer-${peer}`, {
        severity: n.running ? 'error' : 'warning',
        title: `no route from ${n.span.underlay} to ${n.name}'s peer host ${peer}`,
        explanation: `This host has no usable route to the peer ${peer} from its underlay address ${n.span.underlay}, so the VXLAN frames of ${n.name} to that host go nowhere and its guests are unreachable from here.`,
        evidence: [`ip route get ${peer} from ${n.span.underlay}: ${r.error}`],
        advice: `give the host a route to ${peer} through the interface holding ${n.span.underlay} (or correct the peer's address: guestnet net-span ${n.name} --del-peer ${peer} / --add-peer ADDRESS)`
      })
    ]
  })
}

function mtuFinding(n: Spanning, link: ObservedLink | null): Finding | null {
  if (link?.mtu === undefined) return null
  const room = link.mtu - VXLAN_OVERHEAD
  const wanted = n.span.mtu
  const v6 = n.ipv6.length > 0
  const evidence = [`${link.ifname} mtu ${link.mtu}: ${room} left inside VXLAN (${VXLAN_OVERHEAD} bytes of headers)`]
  if (wanted !== null && wanted > room)
    return finding(n, 'mtu', {
      severity: 'error',
      title: `${n.name}'s MTU ${wanted} does not fit its VXLAN over ${link.ifname} (room for ${room})`,
      explanation: `The definition gives ${n.name} an MTU of ${wanted}, but the underlay ${link.ifname} carries ${link.mtu} bytes, of which VXLAN takes ${VXLAN_OVERHEAD}: a guest's full-size frame to another host does not fit and is dropped without notice (large transfers stall, small pings work).`,
      evidence: [...evidence, `<mtu size='${wanted}'/>`],
      advice: `lower <mtu size='${room}'/> in ${n.name} (or remove it: the VXLAN's MTU is then used), or raise ${link.ifname}'s MTU to ${wanted + VXLAN_OVERHEAD} on every host`
    })
  const guests = wanted ?? room
  if (v6 && guests < IPV6_MIN_MTU)
    return finding(n, 'mtu', {
      severity: 'warning',
      title: `${n.name}'s guests get MTU ${guests}, below IPv6's ${IPV6_MIN_MTU}`,
      explanation: `The underlay ${link.ifname} (MTU ${link.mtu}) leaves ${room} bytes inside VXLAN, and IPv6 needs at least ${IPV6_MIN_MTU}: IPv6 on ${n.name} will not work across hosts.`,
      evidence,
      advice: `raise ${link.ifname}'s MTU to at least ${IPV6_MIN_MTU + VXLAN_OVERHEAD} on every host`
    })
  if (wanted === null && room < 1500)
    return finding(n, 'mtu', {
      severity: 'info',
      title: `${n.name}'s guests get MTU ${room} (the underlay's ${link.mtu} less VXLAN's ${VXLAN_OVERHEAD})`,
      explanation: `Without an <mtu> in the definition the bridge, the VXLAN port and the guests (over DHCP) get ${room}, so every guest frame fits the underlay. Guests that ignore the DHCP MTU option keep 1500 and lose large frames to other hosts.`,
      evidence,
      advice: `to keep 1500 inside, raise ${link.ifname}'s MTU to ${1500 + VXLAN_OVERHEAD} on every host`
    })
  return null
}

export function checkUnderlay(obs: DoctorObservation): Finding[] {
  return spanningNetworks(obs).flatMap((n) => {
    const link = linkHolding(obs.links, n.span.underlay)
    const address = addressFinding(n, link)
    if (address) return [address]
    return [...routeFindings(obs, n), ...[mtuFinding(n, link)].filter((f): f is Finding => f !== null)]
  })
}
