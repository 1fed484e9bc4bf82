/**
 * libvirt network XML → NetworkDef. Only answers "can this be read into the model": every
 * element or attribute outside the model is an "unsupported" Problem with its source line, and
 * unreadable values are Problems naming the field and the fix. Semantic checks (ranges,
 * subnets, uniqueness) are core/validate's job. Of `<metadata>`, only guestnet's own settings are
 * read (guestnet/guestnet-metadata.ts); the rest is kept in the returned doc and written back
 * verbatim by `formatNetworkXml`.
 */
import type { BridgeConfig, DomainConfig, IpConfig, NetworkDef, PortConfig, StaticRoute } from '../model/network'
import type { Problem } from '../model/problem'
import { moreProblems } from '../model/problem'
import { readGuestnetSettings } from './guestnet-metadata'
import { readDns } from './parse-dns-xml'
import { readForward } from './parse-forward-xml'
import { readIp } from './parse-ip-xml'
import { readRoute } from './parse-route-xml'
import { ReadContext } from './read-context'
import { readXmlTree } from './read-xml-tree'
import type { NetworkXmlDoc, XmlElement } from './xml-tree'
import { attr, textOf } from './xml-tree'

export type { NetworkXmlDoc }

export type ParseNetworkXmlResult =
  { ok: true; def: NetworkDef; doc: NetworkXmlDoc } | { ok: false; problems: Problem[] }

const NETWORK_CHILDREN = [
  'name',
  'uuid',
  'title',
  'description',
  'metadata',
  'forward',
  'bridge',
  'mtu',
  'mac',
  'domain',
  'dns',
  'port',
  'ip',
  'route'
]

function readText(groups: Map<string, XmlElement[]>, name: string, ctx: ReadContext): string | undefined {
  const el = ctx.single(groups, name, '')
  if (!el) return undefined
  ctx.textElement(el, name)
  return textOf(el)
}

/** libvirt's macTableManager='libvirt' turns learning and flooding off and programs each guest's MAC. */
function readMacTableManager(el: XmlElement, ctx: ReadContext): 'kernel' | undefined {
  const value = attr(el, 'macTableManager')
  if (value === undefined || value === 'kernel') return value
  if (value === 'libvirt') {
    ctx.problem(
      'bridge.macTableManager',
      "unsupported: <bridge macTableManager='libvirt'>",
      "remove macTableManager= or set it to 'kernel': guestnet leaves MAC learning and flooding to the kernel (libvirt's mode turns them off and adds each guest's MAC to the bridge itself)",
      el.line
    )
  } else {
    ctx.problem(`bridge.macTableManager`, `'${value}' is not a valid macTableManager`, "use 'kernel'", el.line)
  }
  return undefined
}

function readBridge(el: XmlElement, ctx: ReadContext): BridgeConfig {
  ctx.checkAttrs(el, 'bridge', ['name', 'zone', 'stp', 'delay', 'macTableManager'])
  ctx.children(el, 'bridge', [])
  const bridge: BridgeConfig = {}
  const name = attr(el, 'name')
  if (name !== undefined) bridge.name = name
  const zone = attr(el, 'zone')
  if (zone !== undefined) bridge.zone = zone
  const stp = ctx.onOff(el, 'stp', 'bridge')
  if (stp !== undefined) bridge.stp = stp
  const delay = ctx.uint(el, 'delay', 'bridge', '0')
  if (delay !== undefined) bridge.delay = delay
  if (readMacTableManager(el, ctx) === 'kernel') bridge.macTableManager = 'kernel'
  return bridge
}

function readPort(el: XmlElement, ctx: ReadContext): PortConfig | undefined {
  ctx.checkAttrs(el, 'port', ['isolated'])
  ctx.children(el, 'port', [])
  const isolated = ctx.yesNo(el, 'isolated', 'port')
  // libvirt writes no <port> when isolated= is absent.
  return isolated === undefined ? undefined : { isolated }
}

function readDomain(el: XmlElement, ctx: ReadContext): DomainConfig | undefined {
  ctx.checkAttrs(el, 'domain', ['name', 'localOnly'])
  ctx.children(el, 'domain', [])
  const name = ctx.required(el, 'name', 'domain', 'example.com')
  const localOnly = ctx.yesNo(el, 'localOnly', 'domain')
  if (name === undefined) return undefined
  return localOnly === undefined ? { name } : { name, localOnly }
}

/** `<mtu size>` or `<mac address>`: one required attribute, nothing else. */
function readOneAttr(el: XmlElement, name: string, ctx: ReadContext, example: string): string | undefined {
  ctx.checkAttrs(el, el.name, [name])
  ctx.children(el, el.name, [])
  return ctx.required(el, name, el.name, example)
}

function isNamespaceDeclaration(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:')
}

function readNetwork(root: XmlElement, ctx: ReadContext): NetworkDef {
  const known = ['ipv6', ...root.attrs.map((a) => a.name).filter(isNamespaceDeclaration)]
  // connections= is live status that `virsh net-dumpxml` adds; libvirt ignores it on input.
  ctx.checkAttrs(root, '', known, ['connections'])
  const groups = ctx.children(root, '', NETWORK_CHILDREN)
  const def: NetworkDef = { name: '', forward: { mode: 'none' }, ips: [] }

  const name = readText(groups, 'name', ctx)
  if (name === undefined)
    ctx.problem('name', 'the network has no <name>', 'add <name>mynet</name> inside <network>', root.line)
  else def.name = name
  for (const key of ['uuid', 'title', 'description'] as const) {
    const value = readText(groups, key, ctx)
    if (value !== undefined) def[key] = value
  }
  const metadata = ctx.single(groups, 'metadata', '')
  const settings = metadata ? readGuestnetSettings(root, metadata, ctx) : undefined
  if (settings) def.guestnet = settings
  const ipv6 = ctx.yesNo(root, 'ipv6', '')
  if (ipv6 === true) def.ipv6 = true

  const forward = ctx.single(groups, 'forward', '')
  if (forward) def.forward = readForward(forward, ctx)
  const bridge = ctx.single(groups, 'bridge', '')
  if (bridge) def.bridge = readBridge(bridge, ctx)
  const mtu = ctx.single(groups, 'mtu', '')
  if (mtu && readOneAttr(mtu, 'size', ctx, '1500') !== undefined) def.mtu = ctx.uint(mtu, 'size', 'mtu', '1500')
  const mac = ctx.single(groups, 'mac', '')
  if (mac) def.mac = readOneAttr(mac, 'address', ctx, '52:54:00:12:34:56')
  const domain = ctx.single(groups, 'domain', '')
  if (domain) def.domain = readDomain(domain, ctx)
  const dns = ctx.single(groups, 'dns', '')
  if (dns) def.dns = readDns(dns, ctx)
  const port = ctx.single(groups, 'port', '')
  if (port) def.port = readPort(port, ctx)
  ;(groups.get('ip') ?? []).forEach((el, i) => {
    const ip: IpConfig | undefined = readIp(el, `ip[${i}]`, ctx)
    if (ip) def.ips.push(ip)
  })
  const routes: StaticRoute[] = []
  ;(groups.get('route') ?? []).forEach((el, i) => {
    const route = readRoute(el, `route[${i}]`, ctx)
    if (route) routes.push(route)
  })
  if (routes.length > 0) def.routes = routes
  for (const key of Object.keys(def) as (keyof NetworkDef)[]) if (def[key] === undefined) delete def[key]
  return def
}

export function parseNetworkXml(text: string): ParseNetworkXmlResult {
  const read = readXmlTree(text)
  if (!read.ok) return { ok: false, problems: [read.problem] }
  const { doc } = read
  if (doc.root.name !== 'network') {
    return {
      ok: false,
      problems: [
        {
          field: 'network',
          message: `expected a <network> definition, found <${doc.root.name}>`,
          fix: 'give a libvirt network XML file (root element <network>)',
          line: doc.root.line
        }
      ]
    }
  }
  const ctx = new ReadContext()
  const def = readNetwork(doc.root, ctx)
  if (ctx.problems.length > 0) {
    const problems = [...ctx.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
    if (ctx.dropped > 0) problems.push(moreProblems('xml', ctx.dropped))
    return { ok: false, problems }
  }
  return { ok: true, def, doc }
}
