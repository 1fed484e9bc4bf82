/** `<dns>` → DnsConfig (forwarders, hosts, SRV and TXT records). */
import type { DnsConfig, DnsForwarder, DnsHost, DnsSrv, DnsTxt } from '../model/network'
import type { ReadContext } from './read-context'
import type { XmlElement } from './xml-tree'
import { attr, childElements, textOf } from './xml-tree'

function readForwarder(el: XmlElement, path: string, ctx: ReadContext): DnsForwarder | undefined {
  ctx.checkAttrs(el, path, ['addr', 'domain'])
  ctx.children(el, path, [])
  const fwd: DnsForwarder = {}
  const addr = attr(el, 'addr')
  const domain = attr(el, 'domain')
  if (domain !== undefined) fwd.domain = domain
  if (addr !== undefined) fwd.addr = addr
  if (addr === undefined && domain === undefined) {
    ctx.problem(
      path,
      '<forwarder> needs addr= or domain= (or both)',
      "add addr='192.0.2.53' and/or domain='example.com'",
      el.line
    )
    return undefined
  }
  return fwd
}

export function readDnsHost(el: XmlElement, path: string, ctx: ReadContext): DnsHost | undefined {
  ctx.checkAttrs(el, path, ['ip'])
  const ip = ctx.required(el, 'ip', path, '192.168.122.10')
  const names = ctx.children(el, path, ['hostname']).get('hostname') ?? []
  const hostnames = names.map((h, i) => {
    ctx.textElement(h, `${path}.hostname[${i}]`)
    return textOf(h)
  })
  if (hostnames.length === 0) {
    ctx.problem(path, '<host> needs at least one <hostname>', 'add <hostname>myhost</hostname> inside it', el.line)
    return undefined
  }
  return ip === undefined ? undefined : { ip, hostnames }
}

function readSrv(el: XmlElement, path: string, ctx: ReadContext): DnsSrv | undefined {
  ctx.checkAttrs(el, path, ['service', 'protocol', 'domain', 'target', 'port', 'priority', 'weight'])
  ctx.children(el, path, [])
  const service = ctx.required(el, 'service', path, 'ldap')
  const protocol = ctx.required(el, 'protocol', path, 'tcp')
  const port = ctx.uint(el, 'port', path, '389')
  const priority = ctx.uint(el, 'priority', path, '10')
  const weight = ctx.uint(el, 'weight', path, '10')
  if (service === undefined || protocol === undefined) return undefined
  const srv: DnsSrv = { service, protocol }
  const domain = attr(el, 'domain')
  const target = attr(el, 'target')
  if (domain !== undefined) srv.domain = domain
  if (target !== undefined) srv.target = target
  if (port !== undefined) srv.port = port
  if (priority !== undefined) srv.priority = priority
  if (weight !== undefined) srv.weight = weight
  return srv
}

function readTxt(el: XmlElement, path: string, ctx: ReadContext): DnsTxt | undefined {
  ctx.checkAttrs(el, path, ['name', 'value'])
  ctx.children(el, path, [])
  const name = ctx.required(el, 'name', path, 'example')
  const value = ctx.required(el, 'value', path, 'some text')
  return name === undefined || value === undefined ? undefined : { name, value }
}

function readList<T>(
  els: XmlElement[] | undefined,
  name: string,
  read: (el: XmlElement, path: string) => T | undefined
): T[] {
  const out: T[] = []
  ;(els ?? []).forEach((el, i) => {
    const item = read(el, `dns.${name}[${i}]`)
    if (item !== undefined) out.push(item)
  })
  return out
}

/** Undefined when `<dns>` sets nothing: libvirt does not write such a `<dns>` back. */
export function readDns(el: XmlElement, ctx: ReadContext): DnsConfig | undefined {
  ctx.checkAttrs(el, 'dns', ['enable', 'forwardPlainNames'])
  const groups = ctx.children(el, 'dns', ['forwarder', 'host', 'srv', 'txt'])
  const dns: DnsConfig = {
    forwarders: readList(groups.get('forwarder'), 'forwarder', (e, p) => readForwarder(e, p, ctx)),
    hosts: readList(groups.get('host'), 'host', (e, p) => readDnsHost(e, p, ctx)),
    srvs: readList(groups.get('srv'), 'srv', (e, p) => readSrv(e, p, ctx)),
    txts: readList(groups.get('txt'), 'txt', (e, p) => readTxt(e, p, ctx))
  }
  const enable = ctx.yesNo(el, 'enable', 'dns')
  if (enable !== undefined) dns.enable = enable
  const plain = ctx.yesNo(el, 'forwardPlainNames', 'dns')
  if (plain !== undefined) dns.forwardPlainNames = plain
  const empty = !dns.forwarders.length && !dns.hosts.length && !dns.srvs.length && !dns.txts.length
  // libvirt's parser refuses this too ("Extra data in disabled network").
  if (enable === false && childElements(el).length > 0) {
    ctx.problem(
      'dns.enable',
      "DNS is turned off (enable='no') but <dns> has records or forwarders",
      "remove the elements inside <dns>, or set enable='yes'",
      el.line
    )
  }
  return empty && enable === undefined && plain === undefined ? undefined : dns
}
