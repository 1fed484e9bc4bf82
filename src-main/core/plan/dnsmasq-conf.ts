/**
 * The dnsmasq configuration of one network. The first part follows current libvirt's
 * networkDnsmasqConfContents line for line (order included), so it compares option by option with
 * libvirt's networkxml2confdata corpus; guestnet's own lines follow in a marked block at the end
 * (`GUESTNET_EXTRA_KEYS`), each with the reason it is there.
 */
import { canonicalIp, netmaskFromPrefix, parseIp } from '../net/ip'
import type { DnsSrv } from '../model/network'
import type { SpanSlice } from '../model/span'
import { formatLease } from './dnsmasq-hosts'
import type { AddressBlock, NetworkShape } from './network-shape'
import { hasDhcp } from './network-shape'
import type { NetworkPaths } from './network-paths'
import { PlanError } from './plan-error'
import { ptrDomain } from './ptr-domain'
import { lanRaLine } from './lan-plan'
import { wantsLanIpv6 } from '../model/uplink-mode'
import { spanOf } from './nft-span'
import { RENEW_MATCH, RENEW_TAG, slicedRanges } from './dnsmasq-span'

/** The unprivileged account dnsmasq switches to after binding its sockets. */
export interface DnsmasqUser {
  user: string
  group: string
}

export const DEFAULT_DNSMASQ_USER: DnsmasqUser = { user: 'nobody', group: 'nogroup' }

/** Seconds between unsolicited router advertisements (dnsmasq's default is 600). */
export const RA_INTERVAL = 10
/** Router lifetime advertised in RAs on forwarding networks (RFC 4861 default: 3 × 600 s). */
export const RA_ROUTER_LIFETIME = 1800

/**
 * Option keys guestnet adds after libvirt's lines, plus `ra-param=<our bridge>,…` (libvirt writes
 * `ra-param=*,0,0` itself on isolated networks, so that key is ours only for our bridge's line).
 */
export const GUESTNET_EXTRA_KEYS = [
  'pid-file',
  'dhcp-leasefile',
  'user',
  'group',
  'no-ping',
  'dhcp-rapid-commit'
] as const

/**
 * The uplink's MTU announced over DHCP. Written with option 26 by number, so it is told from
 * libvirt's own `dhcp-option=option:mtu,N` for `<mtu size>` (the two never appear together).
 */
export const UPLINK_MTU_OPTION = 'dhcp-option=26,'

/** True for exactly the lines guestnet adds to libvirt's; the conformance comparison ignores these. */
export function isGuestnetExtraLine(line: string, bridge: string): boolean {
  const key = line.split('=')[0]
  return (
    (GUESTNET_EXTRA_KEYS as readonly string[]).includes(key) ||
    line.startsWith(`ra-param=${bridge},`) ||
    line.startsWith(UPLINK_MTU_OPTION) ||
    line === lanRaLine(bridge)
  )
}

export interface DnsmasqConfOptions {
  paths: NetworkPaths
  user: DnsmasqUser
  /**
   * The MTU guests are told because the uplink's is smaller (core/host/uplink-mtu.ts
   * announcedUplinkMtu): DHCP option 26 and the RA MTU option. Absent or null: nothing announced.
   */
  uplinkMtu?: number | null
}

/**
 * dnsmasq strips double quotes and treats `#` after white space as a comment, so a value holding
 * those (a path under a network named `a "b"`) is written quoted with backslash escapes.
 */
export function dnsmasqValue(value: string): string {
  if (!/["\\#\s]/.test(value)) return value
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`
}

function srvLine(srv: DnsSrv): string {
  let line = `srv-host=_${srv.service}._${srv.protocol}`
  if (srv.domain) line += `.${srv.domain}`
  // An absent or '.' target means "no such service here" (RFC 2782): port etc. are irrelevant.
  if (srv.target && srv.target !== '.') {
    line += `,${srv.target}`
    const port = srv.port ?? 0
    const priority = srv.priority ?? 0
    const weight = srv.weight ?? 0
    if (port || priority || weight) line += `,${port || 1}`
    if (priority || weight) line += `,${priority}`
    if (weight) line += `,${weight}`
  }
  return line
}

function dnsLines(shape: NetworkShape): string[] {
  const { def } = shape
  const dns = def.dns
  const lines: string[] = []
  if (shape.dnsEnabled && dns && dns.forwarders.length > 0) {
    // An upstream for every name replaces /etc/resolv.conf; libvirt says so before the servers.
    if (dns.forwarders.some((fwd) => fwd.addr && !fwd.domain)) lines.push('no-resolv')
    for (const fwd of dns.forwarders) {
      const domain = fwd.domain ? `/${fwd.domain}/` : ''
      // A forwarder with a domain and no address means "answer locally, never forward".
      lines.push(`server=${domain}${fwd.addr ? addr(fwd.addr) : '#'}`)
    }
  }
  if (def.domain) {
    if (def.domain.localOnly) lines.push(`local=/${def.domain.name}/`)
    lines.push(`domain=${def.domain.name}`, 'expand-hosts')
  }
  if (shape.dnsEnabled) {
    for (const block of [...shape.ipv4, ...shape.ipv6]) {
      if (!block.ip.localPtr) continue
      const zone = ptrDomain(block.subnet)
      if (zone) lines.push(`local=/${zone}/`)
    }
    if (dns?.forwardPlainNames === false) lines.push('domain-needed', 'local=//')
  }
  return lines
}

function addr(text: string): string {
  return canonicalIp(text) ?? text
}

function rangeSize(start: string, end: string): bigint {
  const a = parseIp(start)
  const b = parseIp(end)
  return a && b && b.value >= a.value ? b.value - a.value + 1n : 0n
}

function dhcpLines(block: AddressBlock | undefined, lines: string[], slice4?: SpanSlice): bigint {
  if (!block) return 0n
  const { ip } = block
  const v6 = ip.family === 'ipv6'
  let leases = 0n
  const slice = v6 ? undefined : slice4
  if (slice && (ip.dhcp?.ranges.length ?? 0) > 0) lines.push(RENEW_MATCH)
  for (const range of ip.dhcp?.ranges ?? []) {
    const mask = v6 ? String(ip.prefix) : netmaskFromPrefix(ip.prefix)
    const lease = range.lease ? `,${formatLease(range.lease)}` : ''
    const parts = slice ? slicedRanges(range, slice) : null
    if (slice && parts === null)
      throw new PlanError(
        `ip[${block.index}].dhcp.range`,
        `the range cannot be split in ${slice.of}`,
        'widen the range'
      )
    for (const part of parts ?? [{ start: range.start, end: range.end, renewOnly: false }]) {
      const tag = part.renewOnly ? `tag:${RENEW_TAG},` : ''
      lines.push(`dhcp-range=${tag}${addr(part.start)},${addr(part.end)},${mask}${lease}`)
    }
    leases += rangeSize(range.start, range.end)
  }
  // Static-only DHCP (hosts, no range) still needs a dhcp-range to switch the service on.
  if ((ip.dhcp?.ranges.length ?? 0) === 0 && hasDhcp(ip)) {
    lines.push(`dhcp-range=${addr(ip.address)},static${v6 ? `,${ip.prefix}` : ''}`)
  }
  if (!v6) lines.push('dhcp-no-override', 'dhcp-authoritative')
  return leases
}

/**
 * `tftp-root=` and `dhcp-boot=` reach dnsmasq, which reads its config as root: whatever slipped
 * past the validator, a value that could add a field or an option never gets written.
 */
function confValue(field: string, value: string): string {
  if (!/^[\x21-\x7e]+$/.test(value) || /[,"'\\#]/.test(value)) {
    throw new PlanError(
      field,
      "a blank, control character, ',', quote, '\\' or '#' would change dnsmasq's config line",
      'run the definition through the validator'
    )
  }
  return value
}

/**
 * Network boot, where libvirt writes it: after the IPv4 block's DHCP lines (tftp first, then the
 * boot file, with `,,SERVER` for another TFTP server). A TFTP root on an IPv4 address without DHCP
 * is served too (libvirt's netboot-tftp case).
 */
function netbootLines(shape: NetworkShape, lines: string[]): void {
  const tftp = shape.tftp
  if (tftp?.ip.tftp)
    lines.push('enable-tftp', `tftp-root=${confValue(`ip[${tftp.index}].tftp.root`, tftp.ip.tftp.root)}`)
  const dhcp4 = shape.dhcp4
  const bootp = dhcp4?.ip.dhcp?.bootp
  if (!dhcp4 || !bootp) return
  const at = `ip[${dhcp4.index}].dhcp.bootp`
  const file = confValue(`${at}.file`, bootp.file)
  lines.push(
    bootp.server === undefined
      ? `dhcp-boot=${file}`
      : `dhcp-boot=${file},,${confValue(`${at}.server`, addr(bootp.server))}`
  )
}

/** libvirt's part of the file: everything its test corpus can check. */
function libvirtLines(shape: NetworkShape, paths: NetworkPaths): string[] {
  const { def } = shape
  const lines = ['strict-order']
  if (!shape.dnsEnabled) lines.push('port=0')
  lines.push(...dnsLines(shape))
  // Bind only to the bridge: coexists with systemd-resolved (127.0.0.53) and other DNS servers,
  // and answers nobody outside this network (libvirt's fix for CVE-2012-3411).
  lines.push('except-interface=lo', 'bind-dynamic', `interface=${shape.bridge}`)
  if (shape.isolated) lines.push('dhcp-option=3', 'no-resolv', 'ra-param=*,0,0')
  if (shape.dnsEnabled) {
    for (const txt of def.dns?.txts ?? []) lines.push(`txt-record=${txt.name},${txt.value}`)
    for (const srv of def.dns?.srvs ?? []) lines.push(srvLine(srv))
  }
  let leases = dhcpLines(shape.dhcp4, lines, spanOf(shape)?.slice)
  netbootLines(shape, lines)
  leases += dhcpLines(shape.dhcp6, lines)
  // dnsmasq reads an int; libvirt caps ranges at 65535 addresses, we cap the sum defensively.
  if (leases > 0n) lines.push(`dhcp-lease-max=${leases > 2147483647n ? 2147483647n : leases}`)
  if (shape.dhcp4 || shape.dhcp6) lines.push(`dhcp-hostsfile=${dnsmasqValue(paths.hostsfile)}`)
  if (shape.dnsEnabled) lines.push(`addn-hosts=${dnsmasqValue(paths.addnhosts)}`)
  if (def.mtu) lines.push(`dhcp-option=option:mtu,${def.mtu}`)
  if (shape.dhcp6) {
    lines.push('enable-ra')
  } else {
    for (const block of shape.ipv6) lines.push(`dhcp-range=${addr(block.ip.address)},ra-only`)
  }
  return lines
}

function guestnetLines(shape: NetworkShape, opts: DnsmasqConfOptions): string[] {
  const lines = [
    '## guestnet additions',
    // The helper stops exactly this dnsmasq by its pid file (libvirt passes its pid file the same way).
    `pid-file=${dnsmasqValue(opts.paths.pidfile)}`
  ]
  if (shape.dhcp4 || shape.dhcp6) {
    // Leases survive a restart of the network, so guests keep their addresses.
    lines.push(`dhcp-leasefile=${dnsmasqValue(opts.paths.leases)}`)
  }
  // Drop root once the sockets are bound: dnsmasq parses packets from guests.
  lines.push(`user=${opts.user.user}`, `group=${opts.user.group}`)
  if (shape.dhcp4) {
    // No ping-before-offer (up to 3 s per new lease); dnsmasq is the only DHCP server on the bridge
    // and knows every lease, so the check buys nothing here.
    lines.push('no-ping')
    // RFC 4039: a client that asks (systemd-networkd does) gets its lease in one round trip.
    // Allowed because dnsmasq is the only DHCP server on this bridge.
    lines.push('dhcp-rapid-commit')
  }
  const mtu = opts.uplinkMtu ?? null
  // The uplink is narrower than the guests' Ethernet: new leases carry its MTU (guests that apply
  // option 26 then never send what the path cannot carry; TCP is clamped either way).
  if (mtu !== null && shape.dhcp4) lines.push(`${UPLINK_MTU_OPTION}${mtu}`)
  if (shape.ipv6.length > 0) {
    // Unsolicited RAs every 10 s instead of 600 s: a guest that gave up soliciting (it sends at most
    // 3 RS) before the network came up gets its SLAAC address within seconds. Isolated networks keep
    // router lifetime 0 (no default route via us), as libvirt's ra-param=*,0,0 says.
    const lifetime = shape.isolated ? 0 : RA_ROUTER_LIFETIME
    // `mtu:N` replaces the bridge's own MTU (1500) in the RA's MTU option when the uplink is narrower.
    const raMtu = mtu !== null ? `mtu:${mtu},` : ''
    lines.push(`ra-param=${shape.bridge},${raMtu}${RA_INTERVAL},${lifetime}`)
    // ipv6='lan': the uplink's prefix, from the bridge's address in it (lan-plan.ts), whichever it is now.
    if (wantsLanIpv6(shape.def)) lines.push(lanRaLine(shape.bridge))
  }
  return lines
}

export function renderDnsmasqConf(shape: NetworkShape, opts: DnsmasqConfOptions): string {
  const header = [
    `## dnsmasq configuration for guestnet network ${shape.def.name}`,
    '## generated from the network definition: edits here are overwritten at the next start'
  ]
  return [...header, ...libvirtLines(shape, opts.paths), ...guestnetLines(shape, opts)].map((l) => `${l}\n`).join('')
}
