/** `<ip>` (with `<tftp>`, `<dhcp>`, ranges, hosts, leases and `<bootp>`) → IpConfig. */
import type {
  DhcpBootp,
  DhcpConfig,
  DhcpHost,
  DhcpRange,
  IpConfig,
  IpFamily,
  Lease,
  LeaseUnit,
  TftpConfig
} from '../model/network'
import { parseIp, parseIPv4, prefixFromNetmask } from '../net/ip'
import type { ReadContext } from './read-context'
import type { XmlElement } from './xml-tree'
import { attr } from './xml-tree'

const LEASE_UNITS: Record<string, LeaseUnit> = { seconds: 'seconds', minutes: 'minutes', hours: 'hours' }

/** libvirt's prefix for an `<ip>` with neither prefix= nor netmask=: the classful one for IPv4, 64 for IPv6. */
export function impliedPrefix(family: IpFamily, address: string): number | null {
  if (family === 'ipv6') return 64
  const ip = parseIPv4(address)
  if (!ip) return null
  const first = Number(ip.value >> 24n)
  if (first < 128) return 8
  if (first < 192) return 16
  if (first < 224) return 24
  return null
}

function readLease(parent: XmlElement, path: string, ctx: ReadContext): Lease | undefined {
  const groups = ctx.children(parent, path, ['lease'])
  const el = ctx.single(groups, 'lease', path)
  if (!el) return undefined
  const leasePath = `${path}.lease`
  ctx.checkAttrs(el, leasePath, ['expiry', 'unit'])
  ctx.children(el, leasePath, [])
  if (ctx.required(el, 'expiry', leasePath, '60') === undefined) return undefined
  const expiry = ctx.uint(el, 'expiry', leasePath, '60')
  // libvirt's default unit is minutes.
  const unit = attr(el, 'unit') === undefined ? 'minutes' : ctx.choice(el, 'unit', leasePath, LEASE_UNITS)
  if (expiry === undefined || unit === undefined) return undefined
  return { expiry, unit }
}

export function readDhcpRange(el: XmlElement, path: string, ctx: ReadContext): DhcpRange | undefined {
  ctx.checkAttrs(el, path, ['start', 'end'])
  const start = ctx.required(el, 'start', path, '192.168.122.2')
  const end = ctx.required(el, 'end', path, '192.168.122.254')
  const lease = readLease(el, path, ctx)
  if (start === undefined || end === undefined) return undefined
  return lease ? { start, end, lease } : { start, end }
}

export function readDhcpHost(el: XmlElement, path: string, ctx: ReadContext): DhcpHost {
  ctx.checkAttrs(el, path, ['mac', 'id', 'name', 'ip'])
  const host: DhcpHost = {}
  for (const key of ['mac', 'id', 'name', 'ip'] as const) {
    const value = attr(el, key)
    if (value !== undefined) host[key] = value
  }
  const lease = readLease(el, path, ctx)
  if (lease) host.lease = lease
  return host
}

/** `<bootp file server>`; whether it may stand here (IPv4, with DHCP) is the validator's call. */
function readBootp(el: XmlElement, path: string, ctx: ReadContext): DhcpBootp | undefined {
  ctx.checkAttrs(el, path, ['file', 'server'])
  ctx.children(el, path, [])
  const file = ctx.required(el, 'file', path, 'pxelinux.0')
  if (file === undefined) return undefined
  const server = attr(el, 'server')
  return server === undefined ? { file } : { file, server }
}

function readTftp(el: XmlElement, path: string, ctx: ReadContext): TftpConfig | undefined {
  ctx.checkAttrs(el, path, ['root'])
  ctx.children(el, path, [])
  const root = ctx.required(el, 'root', path, '/srv/tftp')
  return root === undefined ? undefined : { root }
}

function readDhcp(el: XmlElement, path: string, ctx: ReadContext): DhcpConfig | undefined {
  ctx.checkAttrs(el, path, [])
  const groups = ctx.children(el, path, ['range', 'host', 'bootp'])
  const ranges: DhcpRange[] = []
  ;(groups.get('range') ?? []).forEach((r, i) => {
    const range = readDhcpRange(r, `${path}.range[${i}]`, ctx)
    if (range) ranges.push(range)
  })
  const hosts = (groups.get('host') ?? []).map((h, i) => readDhcpHost(h, `${path}.host[${i}]`, ctx))
  const bootpEl = ctx.single(groups, 'bootp', path)
  const bootp = bootpEl ? readBootp(bootpEl, `${path}.bootp`, ctx) : undefined
  // libvirt treats an empty <dhcp/> as no DHCP at all, and does not write it back. A <bootp> alone
  // is kept, so the validator can say it does nothing without a range or host.
  if (bootp) return { ranges, hosts, bootp }
  return ranges.length || hosts.length ? { ranges, hosts } : undefined
}

function readFamily(el: XmlElement, path: string, address: string | undefined, ctx: ReadContext): IpFamily | undefined {
  const family = attr(el, 'family')
  if (family !== undefined && family !== 'ipv4' && family !== 'ipv6') {
    ctx.problem(`${path}.family`, `unknown address family '${family}'`, "use family='ipv4' or family='ipv6'", el.line)
    return undefined
  }
  const ip = address === undefined ? null : parseIp(address)
  if (address !== undefined && !ip) {
    ctx.problem(
      `${path}.address`,
      `'${address}' is not an IPv4 or IPv6 address`,
      "write the bridge's address, e.g. address='192.168.122.1'",
      el.line
    )
    return undefined
  }
  if (ip?.family === 6 && family !== 'ipv6') {
    const fix = family === undefined ? "add family='ipv6'" : "set family='ipv6'"
    ctx.problem(
      `${path}.family`,
      `'${address}' is an IPv6 address but the family is ${family ?? 'not given (so ipv4)'}`,
      fix,
      el.line
    )
    return undefined
  }
  if (ip?.family === 4 && family === 'ipv6') {
    ctx.problem(
      `${path}.family`,
      `'${address}' is an IPv4 address but family='ipv6'`,
      "remove family= or set family='ipv4'",
      el.line
    )
    return undefined
  }
  return family ?? 'ipv4'
}

function readPrefix(
  el: XmlElement,
  path: string,
  family: IpFamily,
  address: string,
  ctx: ReadContext
): { prefix: number; fromNetmask: boolean } | undefined {
  const netmask = attr(el, 'netmask')
  const prefixText = attr(el, 'prefix')
  if (netmask !== undefined && prefixText !== undefined) {
    ctx.problem(`${path}.netmask`, 'both netmask= and prefix= are given', 'keep only one of them', el.line)
    return undefined
  }
  if (netmask !== undefined) {
    if (family === 'ipv6') {
      ctx.problem(`${path}.netmask`, 'netmask= is for IPv4 only', "use prefix= for IPv6, e.g. prefix='64'", el.line)
      return undefined
    }
    const prefix = prefixFromNetmask(netmask)
    if (prefix === null) {
      ctx.problem(
        `${path}.netmask`,
        `'${netmask}' is not a valid netmask`,
        "use a contiguous mask such as '255.255.255.0', or prefix='24'",
        el.line
      )
      return undefined
    }
    return { prefix, fromNetmask: true }
  }
  if (prefixText !== undefined) {
    const prefix = ctx.uint(el, 'prefix', path, family === 'ipv6' ? '64' : '24')
    return prefix === undefined ? undefined : { prefix, fromNetmask: false }
  }
  const implied = impliedPrefix(family, address)
  if (implied === null) {
    ctx.problem(
      `${path}.prefix`,
      `no prefix= or netmask=, and none can be implied for '${address}'`,
      "add prefix=, e.g. prefix='24'",
      el.line
    )
    return undefined
  }
  return { prefix: implied, fromNetmask: false }
}

export function readIp(el: XmlElement, path: string, ctx: ReadContext): IpConfig | undefined {
  ctx.checkAttrs(el, path, ['family', 'address', 'prefix', 'netmask', 'localPtr'])
  const address = ctx.required(el, 'address', path, '192.168.122.1')
  const family = readFamily(el, path, address, ctx)
  const localPtr = ctx.yesNo(el, 'localPtr', path)
  const groups = ctx.children(el, path, ['tftp', 'dhcp'])
  const tftpEl = ctx.single(groups, 'tftp', path)
  const tftp = tftpEl ? readTftp(tftpEl, `${path}.tftp`, ctx) : undefined
  const dhcpEl = ctx.single(groups, 'dhcp', path)
  const dhcp = dhcpEl ? readDhcp(dhcpEl, `${path}.dhcp`, ctx) : undefined
  if (address === undefined || family === undefined) return undefined
  const prefix = readPrefix(el, path, family, address, ctx)
  if (!prefix) return undefined
  const ip: IpConfig = { family, address, prefix: prefix.prefix }
  if (prefix.fromNetmask) ip.fromNetmask = true
  if (localPtr !== undefined) ip.localPtr = localPtr
  if (tftp) ip.tftp = tftp
  if (dhcp) ip.dhcp = dhcp
  return ip
}
