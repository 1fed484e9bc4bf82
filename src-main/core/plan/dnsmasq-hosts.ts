/**
 * dnsmasq's side files: the DHCP hostsfile (`dhcp-hostsfile=`, one `<dhcp><host>` a line, libvirt's
 * format from virdnsmasq.c hostsfileAdd) and the additional hosts file (`addn-hosts=`, from
 * `<dns><host>`). Both are re-read by dnsmasq on SIGHUP.
 */
import type { DhcpHost, DnsHost, Lease } from '../model/network'
import { canonicalIp } from '../net/ip'
import type { AddressBlock } from './network-shape'

/** `1h`, `30m`, `86400s`, or `infinite` for expiry 0 — dnsmasq's lease-time syntax. */
export function formatLease(lease: Lease): string {
  if (lease.expiry === 0) return 'infinite'
  return `${lease.expiry}${lease.unit[0]}`
}

function ipText(address: string): string {
  return canonicalIp(address) ?? address
}

/** One hostsfile line, or null for a host without an address (libvirt skips those too). */
export function dhcpHostLine(host: DhcpHost, ipv6: boolean): string | null {
  if (!host.ip) return null
  const ip = ipText(host.ip)
  let line: string
  if (ipv6) {
    const who = [host.id !== undefined ? `id:${host.id}` : undefined, host.name].filter((x) => x !== undefined)
    line = `${who.join(',')},[${ip}]`
  } else if (host.mac !== undefined) {
    line = host.name !== undefined ? `${host.mac},${ip},${host.name}` : `${host.mac},${ip}`
  } else {
    line = `${host.name ?? ''},${ip}`
  }
  return host.lease ? `${line},${formatLease(host.lease)}` : line
}

/** The hostsfile: IPv4 hosts first, then IPv6, as libvirt writes it. Empty when there are none. */
export function renderDhcpHostsfile(dhcp4: AddressBlock | undefined, dhcp6: AddressBlock | undefined): string {
  const lines: string[] = []
  for (const [block, ipv6] of [
    [dhcp4, false],
    [dhcp6, true]
  ] as const) {
    for (const host of block?.ip.dhcp?.hosts ?? []) {
      const line = dhcpHostLine(host, ipv6)
      if (line !== null) lines.push(line)
    }
  }
  return lines.map((l) => `${l}\n`).join('')
}

/**
 * `/etc/hosts` format, one line per address with all its names (same address twice is merged):
 * the `<dns><host>` records, then every DHCP reservation that has a name and an address. A name in
 * a hosts file is one dnsmasq will not give to a lease with another address ("the name exists in
 * … with address …"), so no guest can take a reserved name by sending it as its DHCP hostname —
 * not even another reserved guest whose own reservation has no name. The reserved name also
 * resolves while its guest is off, like a `<dns><host>`. Re-read on SIGHUP, as the hostsfile is.
 */
export function renderAddnHosts(hosts: readonly DnsHost[], reservations: readonly DhcpHost[] = []): string {
  const byIp = new Map<string, string[]>()
  const add = (address: string, names: readonly string[]): void => {
    const ip = ipText(address)
    const list = byIp.get(ip) ?? []
    for (const n of names) if (!list.includes(n)) list.push(n)
    byIp.set(ip, list)
  }
  for (const host of hosts) add(host.ip, host.hostnames)
  for (const r of reservations) if (r.ip !== undefined && r.name !== undefined) add(r.ip, [r.name])
  return [...byIp].map(([ip, names]) => `${ip}\t${names.join('\t')}\n`).join('')
}
