/** `<dhcp>` of one `<ip>`: ranges, static hosts and lease times. */
import type { DhcpConfig, DhcpHost, Lease } from '../model/network'
import { cidrContainsIp, formatCidr, lastIp } from '../net/cidr'
import type { Ip } from '../net/ip'
import { formatIp } from '../net/ip'
import type { CheckedIp } from './check-ips'
import { parseAddress } from './check-ips'
import type { Problems } from './problems'
import { duidKey, duidProblem, hostnameProblem, macKey, macProblem, printable } from './syntax'

/** dnsmasq's shortest lease (it silently raises shorter ones); libvirt refuses them too. */
export const MIN_LEASE_SECONDS = 120
/** dnsmasq keeps lease times in 32 bits of seconds. */
export const MAX_LEASE_SECONDS = 4294967295

const UNIT_SECONDS = { seconds: 1, minutes: 60, hours: 3600 } as const

export function checkLease(lease: Lease, path: string, p: Problems): void {
  if (lease.expiry === 0) return
  const seconds = lease.expiry * UNIT_SECONDS[lease.unit]
  if (lease.expiry < 0)
    p.add(
      `${path}.expiry`,
      `lease time ${lease.expiry} is negative`,
      "give a positive time, or expiry='0' for an infinite lease"
    )
  else if (seconds < MIN_LEASE_SECONDS)
    p.add(
      `${path}.expiry`,
      `a lease of ${lease.expiry} ${lease.unit} is shorter than dnsmasq's minimum of 2 minutes`,
      "use at least 2 minutes (e.g. expiry='1' unit='hours'), or expiry='0' for infinite"
    )
  else if (seconds > MAX_LEASE_SECONDS)
    p.add(
      `${path}.expiry`,
      `a lease of ${lease.expiry} ${lease.unit} is longer than dnsmasq can count (about 136 years)`,
      "use a shorter time, or expiry='0' for an infinite lease"
    )
}

/** Why `addr` cannot be handed to a guest in this subnet, or null. */
function guestAddressProblem(addr: Ip, ip: CheckedIp): string | null {
  const subnet = formatCidr(ip.subnet)
  if (!cidrContainsIp(ip.subnet, addr)) return `${formatIp(addr)} is outside ${subnet}`
  if (addr.value === ip.subnet.network) return `${formatIp(addr)} is the network address of ${subnet}`
  if (ip.family === 4 && addr.value === lastIp(ip.subnet).value)
    return `${formatIp(addr)} is the broadcast address of ${subnet}`
  if (addr.value === ip.gateway.value) return `${formatIp(addr)} is the bridge's own address (the guests' gateway)`
  return null
}

export function checkDhcp(ip: CheckedIp, dhcp: DhcpConfig, p: Problems): void {
  const path = `${ip.path}.dhcp`
  checkRanges(ip, dhcp, path, p)
  checkHosts(ip, dhcp.hosts, path, p)
}

function checkRanges(ip: CheckedIp, dhcp: DhcpConfig, path: string, p: Problems): void {
  const good: { start: bigint; end: bigint; path: string }[] = []
  dhcp.ranges.forEach((range, i) => {
    const at = `${path}.range[${i}]`
    if (range.lease) checkLease(range.lease, `${at}.lease`, p)
    const start = parseAddress(range.start, ip.family)
    const end = parseAddress(range.end, ip.family)
    const example = ip.family === 4 ? '192.168.122.2' : 'fd12:3456:789a:1::100'
    if (!start)
      p.add(
        `${at}.start`,
        `'${printable(range.start)}' is not an IPv${ip.family} address`,
        `write an address inside ${formatCidr(ip.subnet)}, e.g. ${example}`
      )
    if (!end)
      p.add(
        `${at}.end`,
        `'${printable(range.end)}' is not an IPv${ip.family} address`,
        `write an address inside ${formatCidr(ip.subnet)}`
      )
    if (!start || !end) return
    let ok = true
    for (const [key, addr] of [
      ['start', start],
      ['end', end]
    ] as const) {
      const problem = guestAddressProblem(addr, ip)
      if (problem && addr.value !== ip.gateway.value) {
        p.add(
          `${at}.${key}`,
          problem,
          `keep the range inside ${formatCidr(ip.subnet)}, between the network address and the ${ip.family === 4 ? 'broadcast address' : 'end of the subnet'}`
        )
        ok = false
      }
    }
    if (!ok) return
    if (start.value > end.value) {
      p.add(`${at}.end`, `the range ends (${range.end}) before it starts (${range.start})`, 'swap start= and end=')
      return
    }
    if (start.value <= ip.gateway.value && ip.gateway.value <= end.value) {
      p.add(
        `${at}.start`,
        `the range ${range.start}–${range.end} includes the bridge's own address ${formatIp(ip.gateway)}`,
        `start the range after the gateway, e.g. start='${formatIp({ family: ip.family, value: ip.gateway.value + 1n })}'`
      )
      return
    }
    const clash = good.find((g) => start.value <= g.end && g.start <= end.value)
    if (clash)
      p.add(
        at,
        `the range ${range.start}–${range.end} overlaps ${clash.path}`,
        'merge the two ranges or make them disjoint'
      )
    else good.push({ start: start.value, end: end.value, path: at })
  })
}

function checkHosts(ip: CheckedIp, hosts: DhcpHost[], path: string, p: Problems): void {
  const seen = {
    mac: new Map<string, string>(),
    id: new Map<string, string>(),
    name: new Map<string, string>(),
    ip: new Map<bigint, string>()
  }
  const once = <K>(map: Map<K, string>, key: K, at: string, what: string): void => {
    const first = map.get(key)
    if (first !== undefined)
      p.add(at, `${what} is already used by ${first}`, 'give every host its own value, or merge the two entries')
    else map.set(key, at.slice(0, at.lastIndexOf('.')))
  }
  hosts.forEach((host, i) => {
    const at = `${path}.host[${i}]`
    if (host.lease) checkLease(host.lease, `${at}.lease`, p)
    if (ip.family === 4) {
      if (host.id !== undefined)
        p.add(`${at}.id`, 'id= (a DHCPv6 DUID) belongs to IPv6 hosts', 'remove id=, or move this host to the IPv6 <ip>')
      if (host.mac === undefined && host.name === undefined)
        p.add(
          at,
          'an IPv4 host needs mac= or name= to be recognised by',
          "add mac='52:54:00:…' of the guest's interface"
        )
      if (host.ip === undefined && (host.mac === undefined || host.name === undefined))
        p.add(at, 'an IPv4 host without ip= must have both mac= and name=', "add ip='…' to fix the guest's address")
    } else {
      if (host.mac !== undefined)
        p.add(
          `${at}.mac`,
          'mac= has no meaning for DHCPv6 (clients are known by their DUID)',
          'use id= (the DUID) or name= instead'
        )
      if (host.id === undefined && host.name === undefined)
        p.add(at, 'an IPv6 host needs id= (its DUID) or name=', "add id='0:3:0:1:…' or name='…'")
      if (host.ip === undefined) p.add(at, 'an IPv6 host needs ip=', `add an address inside ${formatCidr(ip.subnet)}`)
    }
    if (host.mac !== undefined && ip.family === 4) {
      const problem = macProblem(host.mac)
      if (problem) p.add(`${at}.mac`, problem, "write the guest's MAC address, e.g. '52:54:00:12:34:56'")
      else once(seen.mac, macKey(host.mac), `${at}.mac`, `MAC ${host.mac}`)
    }
    if (host.id !== undefined && ip.family === 6) {
      const problem = duidProblem(host.id)
      if (problem) p.add(`${at}.id`, problem, "write the client's DUID as hex bytes, e.g. '0:3:0:1:52:54:0:12:34:56'")
      else once(seen.id, duidKey(host.id), `${at}.id`, `DUID ${host.id}`)
    }
    if (host.name !== undefined) {
      const problem = hostnameProblem(host.name)
      if (problem) p.add(`${at}.name`, problem, "use a host name such as 'vm1' or 'vm1.example.com'")
      else once(seen.name, host.name.toLowerCase(), `${at}.name`, `name ${host.name}`)
    }
    if (host.ip !== undefined) {
      const addr = parseAddress(host.ip, ip.family)
      const problem = addr ? guestAddressProblem(addr, ip) : `'${printable(host.ip)}' is not an IPv${ip.family} address`
      if (problem || !addr)
        p.add(
          `${at}.ip`,
          problem ?? '',
          `give an address inside ${formatCidr(ip.subnet)} other than the network, broadcast and gateway addresses`
        )
      else once(seen.ip, addr.value, `${at}.ip`, `address ${formatIp(addr)}`)
    }
  })
}
