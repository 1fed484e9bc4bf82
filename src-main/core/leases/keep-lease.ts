/**
 * "Keep this address": a live IPv4 lease turned into a DHCP reservation (`<host mac ip name/>`), as
 * the `net-update add ip-dhcp-host` request that makes it. Refused, with the field and the fix, when
 * no live lease has that MAC, when the guest already has a reservation, or when its address is
 * reserved for another MAC. The lease's hostname becomes the reservation's name only when it is a
 * valid one no other reservation uses. Pure.
 */
import type { DhcpHost, NetworkDef } from '../model/network'
import type { Problem } from '../model/problem'
import { canonicalIp } from '../net/ip'
import type { NetUpdateRequest } from '../update/net-update'
import { describeDhcpHost } from '../update/net-update'
import { escapeAttr } from '../xml/write-xml-tree'
import { hostnameProblem, macKey, macProblem } from '../validate/syntax'
import type { DhcpLease } from './parse-leases'

export type KeepLeaseResult =
  { ok: true; host: DhcpHost; request: NetUpdateRequest; summary: string } | { ok: false; problem: Problem }

function refuse(message: string, fix: string): KeepLeaseResult {
  return { ok: false, problem: { field: 'keep', message, fix } }
}

function reservations(def: NetworkDef): DhcpHost[] {
  return def.ips.flatMap((ip) => ip.dhcp?.hosts ?? [])
}

export function keepLease(
  def: NetworkDef,
  leases: readonly DhcpLease[],
  mac: string,
  nowSeconds: number
): KeepLeaseResult {
  const bad = macProblem(mac)
  if (bad !== null) return refuse(`'${mac}' is not a MAC address: ${bad}`, 'give the MAC as net-dhcp-leases shows it')
  const key = macKey(mac)
  const lease = leases.find(
    (l) =>
      l.family === 'ipv4' &&
      l.mac !== null &&
      macProblem(l.mac) === null &&
      macKey(l.mac) === key &&
      (l.expiry === null || l.expiry > nowSeconds)
  )
  if (!lease)
    return refuse(
      `no guest with MAC ${mac} has a live IPv4 lease on network ${def.name}`,
      `'guestnet net-dhcp-leases ${def.name}' lists the guests that have one`
    )
  const hosts = reservations(def)
  const own = hosts.find((h) => h.mac !== undefined && macKey(h.mac) === key)
  if (own)
    return refuse(
      `the guest with MAC ${mac} already has a reservation: ${describeDhcpHost(own)}`,
      `change it with 'guestnet net-update ${def.name} modify ip-dhcp-host …'`
    )
  const ip = canonicalIp(lease.ip) ?? lease.ip
  const taken = hosts.find((h) => h.ip !== undefined && (canonicalIp(h.ip) ?? h.ip) === ip)
  if (taken)
    return refuse(
      `${ip} is already reserved for another guest: ${describeDhcpHost(taken)}`,
      `delete that reservation first ('guestnet net-update ${def.name} delete ip-dhcp-host …'), or reserve another address for ${mac}`
    )
  const name = lease.hostname
  const nameFree =
    name !== null &&
    hostnameProblem(name) === null &&
    !hosts.some((h) => h.name !== undefined && h.name.toLowerCase() === name.toLowerCase())
  const host: DhcpHost = { mac: lease.mac ?? mac, ip, ...(nameFree ? { name } : {}) }
  const attrs = [`mac='${escapeAttr(host.mac ?? '')}'`, `ip='${escapeAttr(ip)}'`]
  if (host.name !== undefined) attrs.push(`name='${escapeAttr(host.name)}'`)
  return {
    ok: true,
    host,
    request: { command: 'add', section: 'ip-dhcp-host', xml: `<host ${attrs.join(' ')}/>` },
    summary: `kept ${ip} for ${host.mac}${host.name !== undefined ? ` (${host.name})` : ''}`
  }
}
