/**
 * NetworkDef → canonical XML tree, the way libvirt's virNetworkDefFormatBuf writes it: element
 * order name, uuid, title, description, (metadata), forward, bridge, mtu, mac, domain, dns, port, ip…, route…,
 * libvirt's attribute order inside each element, and libvirt's normalisations (lower-case MAC,
 * stp/delay on managed bridges, `forward dev` mirrored as `<interface dev>`, no `ipv6='no'`).
 * Inside `<ip>`: tftp, then dhcp (ranges, hosts, bootp), as virNetworkIPDefFormat writes them.
 */
import { buildGuestnetSettings } from './guestnet-metadata'
import type {
  DhcpConfig,
  DnsConfig,
  ForwardConfig,
  IpConfig,
  Lease,
  NatConfig,
  NetworkDef,
  StaticRoute
} from '../model/network'
import { netmaskFromPrefix } from '../net/ip'
import type { XmlAttr, XmlElement } from './xml-tree'
import { element, textNode } from './xml-tree'

type AttrValue = string | number | boolean | undefined

/** Attributes in the given order, skipping undefined ones. */
function attrs(list: [string, AttrValue][], yes = 'yes', no = 'no'): XmlAttr[] {
  const out: XmlAttr[] = []
  for (const [name, value] of list) {
    if (value === undefined) continue
    out.push({ name, value: typeof value === 'boolean' ? (value ? yes : no) : String(value) })
  }
  return out
}

function textElement(name: string, text: string): XmlElement {
  return element(name, [], [textNode(text)])
}

function buildNat(nat: NatConfig | undefined): XmlElement | undefined {
  if (!nat) return undefined
  const children: XmlElement[] = []
  if (nat.addressStart !== undefined || nat.addressEnd !== undefined) {
    children.push(
      element(
        'address',
        attrs([
          ['start', nat.addressStart],
          ['end', nat.addressEnd]
        ])
      )
    )
  }
  if (nat.portStart !== undefined || nat.portEnd !== undefined) {
    children.push(
      element(
        'port',
        attrs([
          ['start', nat.portStart],
          ['end', nat.portEnd]
        ])
      )
    )
  }
  if (nat.ipv6 === undefined && children.length === 0) return undefined
  return element('nat', attrs([['ipv6', nat.ipv6]]), children)
}

function buildForward(forward: ForwardConfig): XmlElement | undefined {
  if (forward.mode === 'none') return undefined
  const children: XmlElement[] = []
  const nat = forward.mode === 'nat' ? buildNat(forward.nat) : undefined
  if (nat) children.push(nat)
  if (forward.dev !== undefined) children.push(element('interface', attrs([['dev', forward.dev]])))
  return element(
    'forward',
    attrs([
      ['dev', forward.dev],
      ['mode', forward.mode]
    ]),
    children
  )
}

function buildBridge(def: NetworkDef): XmlElement {
  const bridge = def.bridge ?? {}
  // A host bridge is not ours to configure: no stp/delay, as libvirt writes it. Every other mode is
  // a bridge guestnet makes, so stp and delay are always written.
  const managed = def.forward.mode !== 'bridge'
  return element(
    'bridge',
    attrs(
      [
        ['name', bridge.name],
        ['zone', bridge.zone],
        ['stp', managed ? (bridge.stp ?? true) : undefined],
        ['delay', managed ? (bridge.delay ?? 0) : undefined],
        ['macTableManager', bridge.macTableManager]
      ],
      'on',
      'off'
    )
  )
}

function buildRoute(route: StaticRoute): XmlElement {
  const netmask = route.fromNetmask && route.family === 'ipv4' ? netmaskFromPrefix(route.prefix) : undefined
  const family = route.family === 'ipv6' || route.familyGiven ? route.family : undefined
  return element(
    'route',
    attrs([
      ['family', family],
      ['address', route.address],
      ['netmask', netmask],
      ['prefix', netmask === undefined ? route.prefix : undefined],
      ['gateway', route.gateway],
      ['metric', route.metric]
    ])
  )
}

function buildDns(dns: DnsConfig | undefined): XmlElement | undefined {
  if (!dns) return undefined
  const children: XmlElement[] = [
    ...dns.forwarders.map((f) =>
      element(
        'forwarder',
        attrs([
          ['domain', f.domain],
          ['addr', f.addr]
        ])
      )
    ),
    ...dns.txts.map((t) =>
      element(
        'txt',
        attrs([
          ['name', t.name],
          ['value', t.value]
        ])
      )
    ),
    ...dns.srvs.map((s) =>
      element(
        'srv',
        attrs([
          ['service', s.service],
          ['protocol', s.protocol],
          ['domain', s.domain],
          ['target', s.target],
          ['port', s.port],
          ['priority', s.priority],
          ['weight', s.weight]
        ])
      )
    ),
    ...dns.hosts.map((h) =>
      element(
        'host',
        attrs([['ip', h.ip]]),
        h.hostnames.map((n) => textElement('hostname', n))
      )
    )
  ]
  const a = attrs([
    ['enable', dns.enable],
    ['forwardPlainNames', dns.forwardPlainNames]
  ])
  if (a.length === 0 && children.length === 0) return undefined
  return element('dns', a, children)
}

function buildLease(lease: Lease | undefined): XmlElement[] {
  if (!lease) return []
  // An infinite lease (expiry 0) has no unit.
  return [
    element(
      'lease',
      attrs([
        ['expiry', lease.expiry],
        ['unit', lease.expiry === 0 ? undefined : lease.unit]
      ])
    )
  ]
}

function buildDhcp(dhcp: DhcpConfig | undefined): XmlElement | undefined {
  // libvirt drops a <bootp> whose <dhcp> has no range or host; we keep it (the validator refuses
  // such a definition and should be able to point at it).
  if (!dhcp || (dhcp.ranges.length === 0 && dhcp.hosts.length === 0 && !dhcp.bootp)) return undefined
  const bootp = dhcp.bootp
    ? [
        element(
          'bootp',
          attrs([
            ['file', dhcp.bootp.file],
            ['server', dhcp.bootp.server]
          ])
        )
      ]
    : []
  return element(
    'dhcp',
    [],
    [
      ...dhcp.ranges.map((r) =>
        element(
          'range',
          attrs([
            ['start', r.start],
            ['end', r.end]
          ]),
          buildLease(r.lease)
        )
      ),
      ...dhcp.hosts.map((h) =>
        element(
          'host',
          attrs([
            ['mac', h.mac],
            ['id', h.id],
            ['name', h.name],
            ['ip', h.ip]
          ]),
          buildLease(h.lease)
        )
      ),
      ...bootp
    ]
  )
}

function buildIp(ip: IpConfig): XmlElement {
  const netmask = ip.fromNetmask && ip.family === 'ipv4' ? netmaskFromPrefix(ip.prefix) : undefined
  const dhcp = buildDhcp(ip.dhcp)
  const children = [ip.tftp ? element('tftp', attrs([['root', ip.tftp.root]])) : undefined, dhcp]
  return element(
    'ip',
    attrs([
      ['family', ip.family === 'ipv6' ? 'ipv6' : undefined],
      ['address', ip.address],
      ['netmask', netmask],
      ['prefix', netmask === undefined ? ip.prefix : undefined],
      ['localPtr', ip.localPtr]
    ]),
    children.filter((c): c is XmlElement => c !== undefined)
  )
}

/** `<metadata>` holding guestnet's settings; the doc merge puts another application's back beside them. */
function buildMetadata(def: NetworkDef): XmlElement | undefined {
  const settings = def.guestnet ? buildGuestnetSettings(def.guestnet) : undefined
  return settings ? element('metadata', [], [settings]) : undefined
}

export function buildNetworkElement(def: NetworkDef): XmlElement {
  const children: (XmlElement | undefined)[] = [
    textElement('name', def.name),
    def.uuid === undefined ? undefined : textElement('uuid', def.uuid),
    def.title === undefined ? undefined : textElement('title', def.title),
    def.description === undefined ? undefined : textElement('description', def.description),
    buildMetadata(def),
    buildForward(def.forward),
    buildBridge(def),
    def.mtu === undefined ? undefined : element('mtu', attrs([['size', def.mtu]])),
    def.mac === undefined ? undefined : element('mac', attrs([['address', def.mac.toLowerCase()]])),
    def.domain
      ? element(
          'domain',
          attrs([
            ['name', def.domain.name],
            ['localOnly', def.domain.localOnly]
          ])
        )
      : undefined,
    buildDns(def.dns),
    def.port ? element('port', attrs([['isolated', def.port.isolated]])) : undefined,
    ...def.ips.map(buildIp),
    ...(def.routes ?? []).map(buildRoute)
  ]
  return element(
    'network',
    attrs([['ipv6', def.ipv6 ? 'yes' : undefined]]),
    children.filter((c): c is XmlElement => c !== undefined)
  )
}
