/**
 * `net-update`'s change to a definition, as libvirt's virNetworkDefUpdateSection does it: add,
 * delete or modify one `<dhcp><host>`, add or delete one `<dhcp><range>` or `<dns><host>`. The
 * refusals are libvirt's (an add matching an existing entry, a delete or modify matching none, a
 * section that cannot be modified); the result is then checked by the core validator, so a
 * reservation outside the subnet, on the gateway or reusing a MAC, name or address is refused with
 * the field it names. Pure: the definition given is not changed.
 */
import type { DhcpConfig, DhcpHost, DhcpRange, DnsHost, IpConfig, IpFamily, NetworkDef } from '../model/network'
import type { UpdateCommand, UpdateSection } from '../model/net-update'
import type { Problem } from '../model/problem'
import { parseIp, sameIp } from '../net/ip'
import { macKey, duidKey } from '../validate/syntax'
import { validateNetwork } from '../validate/validate-network'
import type { UpdateItem } from './parse-update-snippet'
import { parseUpdateSnippet } from './parse-update-snippet'

export interface NetUpdateRequest {
  command: UpdateCommand
  section: UpdateSection
  xml: string
  /** virsh's --parent-index: which `<ip>` (in file order) a DHCP change goes to. */
  parentIndex?: number
}

export type NetUpdateResult = { ok: true; def: NetworkDef; summary: string } | { ok: false; problems: Problem[] }

function refuse(field: string, message: string, fix: string): NetUpdateResult {
  return { ok: false, problems: [{ field, message, fix }] }
}

/** The same address written two ways (`::1` and `0::1`); text that is no address only equals itself. */
function sameAddress(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false
  const [x, y] = [parseIp(a), parseIp(b)]
  return x !== null && y !== null ? sameIp(x, y) : a === b
}

function sameMac(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && macKey(a) === macKey(b)
}

function sameId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && duidKey(a) === duidKey(b)
}

function sameName(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase()
}

export function describeDhcpHost(h: DhcpHost): string {
  const parts = (['mac', 'id', 'name', 'ip'] as const).flatMap((k) => (h[k] === undefined ? [] : [`${k}='${h[k]}'`]))
  return `<host ${parts.join(' ')}/>`
}

/** libvirt's choice of `<ip>`: the parent index, else the first of the family the item's address has (IPv4 without one). */
function pickIp(
  def: NetworkDef,
  family: IpFamily,
  parentIndex: number | undefined
): { ok: true; index: number } | { ok: false; result: NetUpdateResult } {
  if (parentIndex !== undefined) {
    const ip = def.ips[parentIndex]
    if (!ip)
      return {
        ok: false,
        result: refuse(
          'parentIndex',
          `network ${def.name} has no <ip> number ${parentIndex} (it has ${def.ips.length})`,
          `give --parent-index from 0 to ${Math.max(def.ips.length - 1, 0)}, or leave it out`
        )
      }
    return { ok: true, index: parentIndex }
  }
  const index = def.ips.findIndex((ip) => ip.family === family)
  if (index < 0)
    return {
      ok: false,
      result: refuse(
        'xml',
        `network ${def.name} has no ${family === 'ipv4' ? 'IPv4' : 'IPv6'} <ip> to hold DHCP entries`,
        `add an <ip family='${family}'> to the network first (guestnet net-edit or net-define)`
      )
    }
  return { ok: true, index }
}

function familyOf(address: string | undefined): IpFamily {
  return address !== undefined && parseIp(address)?.family === 6 ? 'ipv6' : 'ipv4'
}

function withDhcp(def: NetworkDef, index: number, change: (dhcp: DhcpConfig) => DhcpConfig): NetworkDef {
  const ips = def.ips.map((ip, i): IpConfig => {
    if (i !== index) return ip
    const dhcp = change(ip.dhcp ?? { ranges: [], hosts: [] })
    const { dhcp: _old, ...rest } = ip
    void _old
    // libvirt drops a <dhcp> left with neither range nor host (and guestnet reads it as none).
    return dhcp.ranges.length || dhcp.hosts.length || dhcp.bootp ? { ...rest, dhcp } : rest
  })
  return { ...def, ips }
}

function updateDhcpHost(def: NetworkDef, req: NetUpdateRequest, host: DhcpHost): NetUpdateResult {
  const picked = pickIp(def, familyOf(host.ip), req.parentIndex)
  if (!picked.ok) return picked.result
  const hosts = def.ips[picked.index].dhcp?.hosts ?? []
  const shown = describeDhcpHost(host)
  if (req.command === 'add' || req.command === 'add-first' || req.command === 'add-last') {
    const clash = hosts.find(
      (h) =>
        sameMac(h.mac, host.mac) || sameId(h.id, host.id) || sameName(h.name, host.name) || sameAddress(h.ip, host.ip)
    )
    if (clash) {
      const field = sameMac(clash.mac, host.mac)
        ? 'xml.mac'
        : sameId(clash.id, host.id)
          ? 'xml.id'
          : sameName(clash.name, host.name)
            ? 'xml.name'
            : 'xml.ip'
      return refuse(
        field,
        `there is an existing dhcp host entry in network ${def.name} that matches ${shown}: ${describeDhcpHost(clash)}`,
        `change that entry with 'modify', delete it first, or give this host its own ${field.slice(4)}`
      )
    }
    const first = req.command === 'add-first'
    return {
      ok: true,
      def: withDhcp(def, picked.index, (d) => ({ ...d, hosts: first ? [host, ...d.hosts] : [...d.hosts, host] })),
      summary: `added ${shown}`
    }
  }
  if (req.command === 'delete') {
    // Every attribute given must match (libvirt's rule); the snippet may give only some.
    const i = hosts.findIndex(
      (h) =>
        (host.mac === undefined || h.mac === undefined || sameMac(h.mac, host.mac)) &&
        (host.id === undefined || h.id === undefined || sameId(h.id, host.id)) &&
        (host.name === undefined || h.name === undefined || sameName(h.name, host.name)) &&
        (host.ip === undefined || sameAddress(h.ip, host.ip))
    )
    if (i < 0)
      return refuse(
        'xml',
        `couldn't locate a matching dhcp host entry in network ${def.name} for ${shown}`,
        `list the reservations with guestnet net-dumpxml ${def.name} and give one's mac=, name= or ip=`
      )
    return {
      ok: true,
      def: withDhcp(def, picked.index, (d) => ({ ...d, hosts: d.hosts.filter((_, k) => k !== i) })),
      summary: `deleted ${describeDhcpHost(hosts[i])}`
    }
  }
  // modify: the entry of this MAC (IPv4) or DUID, else of this name, gets the new attributes.
  const i = hosts.findIndex((h) =>
    host.mac !== undefined
      ? sameMac(h.mac, host.mac)
      : host.id !== undefined
        ? sameId(h.id, host.id)
        : sameName(h.name, host.name)
  )
  if (i < 0) {
    const key =
      host.mac !== undefined
        ? `mac='${host.mac}'`
        : host.id !== undefined
          ? `id='${host.id}'`
          : `name='${host.name ?? ''}'`
    return refuse(
      'xml',
      `couldn't locate an existing dhcp host entry with ${key} in network ${def.name}`,
      "use 'add' for a new reservation, or give the mac= of an existing one"
    )
  }
  return {
    ok: true,
    def: withDhcp(def, picked.index, (d) => ({ ...d, hosts: d.hosts.map((h, k) => (k === i ? host : h)) })),
    summary: `changed ${describeDhcpHost(hosts[i])} to ${shown}`
  }
}

function updateDhcpRange(def: NetworkDef, req: NetUpdateRequest, range: DhcpRange): NetUpdateResult {
  const picked = pickIp(def, familyOf(range.start), req.parentIndex)
  if (!picked.ok) return picked.result
  const ranges = def.ips[picked.index].dhcp?.ranges ?? []
  const shown = `<range start='${range.start}' end='${range.end}'/>`
  const i = ranges.findIndex((r) => sameAddress(r.start, range.start) && sameAddress(r.end, range.end))
  if (req.command === 'modify')
    return refuse(
      'command',
      'dhcp ranges cannot be modified, only added or deleted',
      'delete the range, then add the new one'
    )
  if (req.command === 'delete') {
    if (i < 0)
      return refuse(
        'xml',
        `couldn't locate a matching dhcp range entry in network ${def.name} for ${shown}`,
        'give the exact start= and end= of an existing range'
      )
    return {
      ok: true,
      def: withDhcp(def, picked.index, (d) => ({ ...d, ranges: d.ranges.filter((_, k) => k !== i) })),
      summary: `deleted ${shown}`
    }
  }
  if (i >= 0)
    return refuse(
      'xml',
      `there is an existing dhcp range entry in network ${def.name} that matches ${shown}`,
      'give another range'
    )
  const first = req.command === 'add-first'
  return {
    ok: true,
    def: withDhcp(def, picked.index, (d) => ({ ...d, ranges: first ? [range, ...d.ranges] : [...d.ranges, range] })),
    summary: `added ${shown}`
  }
}

function updateDnsHost(def: NetworkDef, req: NetUpdateRequest, host: DnsHost): NetUpdateResult {
  const dns = def.dns ?? { forwarders: [], hosts: [], srvs: [], txts: [] }
  const shown = `<host ip='${host.ip}'> (${host.hostnames.join(', ')})`
  if (req.command === 'modify')
    return refuse(
      'command',
      'DNS HOST records cannot be modified, only added or deleted',
      'delete the record, then add the new one'
    )
  const matches = (h: DnsHost): boolean =>
    sameAddress(h.ip, host.ip) || h.hostnames.some((n) => host.hostnames.some((m) => sameName(n, m)))
  if (req.command === 'delete') {
    const i = dns.hosts.findIndex(
      (h) => sameAddress(h.ip, host.ip) && host.hostnames.every((m) => h.hostnames.some((n) => sameName(n, m)))
    )
    if (i < 0)
      return refuse(
        'xml',
        `couldn't locate a matching DNS HOST record in network ${def.name} for ${shown}`,
        'give the ip= and hostnames of an existing <dns><host>'
      )
    return {
      ok: true,
      def: { ...def, dns: { ...dns, hosts: dns.hosts.filter((_, k) => k !== i) } },
      summary: `deleted ${shown}`
    }
  }
  const clash = dns.hosts.find(matches)
  if (clash)
    return refuse(
      'xml',
      `there is already a DNS HOST record with a matching field in network ${def.name}: ${clash.ip} (${clash.hostnames.join(', ')})`,
      'delete that record first, or give another address and names'
    )
  const first = req.command === 'add-first'
  return {
    ok: true,
    def: { ...def, dns: { ...dns, hosts: first ? [host, ...dns.hosts] : [...dns.hosts, host] } },
    summary: `added ${shown}`
  }
}

function applyItem(def: NetworkDef, req: NetUpdateRequest, item: UpdateItem): NetUpdateResult {
  if (item.section === 'ip-dhcp-host') return updateDhcpHost(def, req, item.host)
  if (item.section === 'ip-dhcp-range') return updateDhcpRange(def, req, item.range)
  return updateDnsHost(def, req, item.host)
}

/** The definition after the update, checked whole by the validator; or why it is refused. */
export function updateNetwork(def: NetworkDef, req: NetUpdateRequest): NetUpdateResult {
  const parsed = parseUpdateSnippet(req.section, req.xml)
  if (!parsed.ok) return parsed
  const changed = applyItem(def, req, parsed.item)
  if (!changed.ok) return changed
  const problems = validateNetwork(changed.def)
  if (problems.length > 0) return { ok: false, problems }
  return changed
}
