/** `<ip>` elements: address, prefix, which of them run DHCP, and overlaps between them. */
import { specialRangeOf } from '../host/special-ranges'
import type { IpConfig, NetworkDef } from '../model/network'
import type { Cidr } from '../net/cidr'
import { cidrOf, cidrsOverlap, formatCidr, lastIp } from '../net/cidr'
import type { Family, Ip } from '../net/ip'
import { FAMILY_BITS, formatIp, parseIPv4, parseIPv6 } from '../net/ip'
import { checkDhcp } from './check-dhcp'
import type { Problems } from './problems'
import { printable } from './syntax'

/** An `<ip>` whose address and prefix are usable, for the checks that build on it. */
export interface CheckedIp {
  index: number
  path: string
  family: Family
  /** The bridge's own address: the guests' gateway. */
  gateway: Ip
  subnet: Cidr
  config: IpConfig
}

const MIN_IPV4_PREFIX = 8
/** A DHCP network needs room for the gateway and at least one guest between network and broadcast. */
const MAX_IPV4_DHCP_PREFIX = 30
/** Router advertisements with SLAAC (RFC 4862) work only on /64s; guestnet runs RA on every IPv6 <ip>. */
const RA_PREFIX = 64

export function parseAddress(text: string, family: Family): Ip | null {
  return family === 4 ? parseIPv4(text) : parseIPv6(text)
}

export function checkIps(def: NetworkDef, p: Problems): CheckedIp[] {
  const checked: CheckedIp[] = []
  def.ips.forEach((config, index) => {
    const ip = checkOneIp(config, index, p)
    if (ip) checked.push(ip)
  })
  checkDhcpCount(checked, p)
  checkOverlaps(checked, p)
  for (const ip of checked) if (ip.config.dhcp) checkDhcp(ip, ip.config.dhcp, p)
  return checked
}

function checkOneIp(config: IpConfig, index: number, p: Problems): CheckedIp | null {
  const path = `ip[${index}]`
  const family: Family = config.family === 'ipv6' ? 6 : 4
  const gateway = parseAddress(config.address, family)
  if (!gateway) {
    const example = family === 4 ? '192.168.122.1' : 'fd12:3456:789a:1::1'
    p.add(
      `${path}.address`,
      `'${printable(config.address)}' is not an ${family === 4 ? 'IPv4' : 'IPv6'} address`,
      `write the bridge's address, e.g. address='${example}'`
    )
    return null
  }
  if (!prefixOk(config, family, path, p)) return null
  const subnet = cidrOf(gateway, config.prefix)
  const special = specialRangeOf(cidrOf(gateway, FAMILY_BITS[family]))
  if (special) {
    p.add(
      `${path}.address`,
      `${config.address} is a ${special.what} address (${special.text})`,
      'use a private range: run `guestnet suggest-range` for a free one'
    )
    return null
  }
  const hostBits = FAMILY_BITS[family] - config.prefix
  if (hostBits >= 2 && gateway.value === subnet.network) {
    p.add(
      `${path}.address`,
      `${config.address} is the network address of ${formatCidr(subnet)}, not a host address`,
      `give the bridge a host address, e.g. ${formatIp({ family, value: subnet.network + 1n })}`
    )
  } else if (family === 4 && hostBits >= 2 && gateway.value === lastIp(subnet).value) {
    p.add(
      `${path}.address`,
      `${config.address} is the broadcast address of ${formatCidr(subnet)}`,
      `give the bridge a host address, e.g. ${formatIp({ family, value: subnet.network + 1n })}`
    )
  }
  if (config.localPtr && config.prefix % (family === 4 ? 8 : 4) !== 0) {
    p.add(
      `${path}.localPtr`,
      `no reverse-DNS zone matches a /${config.prefix} (it is not a multiple of ${family === 4 ? 8 : 4})`,
      `remove localPtr= or use a prefix that is a multiple of ${family === 4 ? 8 : 4}`
    )
  }
  return { index, path, family, gateway, subnet, config }
}

function prefixOk(config: IpConfig, family: Family, path: string, p: Problems): boolean {
  const { prefix } = config
  if (family === 4) {
    if (prefix < MIN_IPV4_PREFIX || prefix > 32) {
      p.add(
        `${path}.prefix`,
        `IPv4 prefix /${prefix} is out of range`,
        `use a prefix from /${MIN_IPV4_PREFIX} to /${MAX_IPV4_DHCP_PREFIX}, usually prefix='24'`
      )
      return false
    }
    if (config.dhcp && prefix > MAX_IPV4_DHCP_PREFIX) {
      p.add(
        `${path}.prefix`,
        `a /${prefix} has no room for DHCP clients next to the gateway`,
        `use prefix='${MAX_IPV4_DHCP_PREFIX}' or shorter (usually '24'), or remove <dhcp>`
      )
      return false
    }
    return true
  }
  if (prefix < 1 || prefix > 128) {
    p.add(`${path}.prefix`, `IPv6 prefix /${prefix} is out of range`, `use prefix='${RA_PREFIX}'`)
    return false
  }
  if (prefix !== RA_PREFIX) {
    p.add(
      `${path}.prefix`,
      `IPv6 prefix /${prefix}: guests configure IPv6 from router advertisements (SLAAC), which needs a /${RA_PREFIX}`,
      `use prefix='${RA_PREFIX}' (cut a /64 out of a larger prefix)`
    )
    return false
  }
  return true
}

function checkDhcpCount(ips: CheckedIp[], p: Problems): void {
  for (const family of [4, 6] as const) {
    const withDhcp = ips.filter((ip) => ip.family === family && ip.config.dhcp)
    for (const extra of withDhcp.slice(1)) {
      p.add(
        `${extra.path}.dhcp`,
        `only one IPv${family} <ip> may run DHCP; ${withDhcp[0].path} already does`,
        `move these ranges and hosts to ${withDhcp[0].path}, or remove this <dhcp>`
      )
    }
  }
}

function checkOverlaps(ips: CheckedIp[], p: Problems): void {
  for (let i = 0; i < ips.length; i++) {
    for (let j = 0; j < i; j++) {
      if (!cidrsOverlap(ips[i].subnet, ips[j].subnet)) continue
      p.add(
        `${ips[i].path}.address`,
        `${formatCidr(ips[i].subnet)} overlaps ${formatCidr(ips[j].subnet)} of ${ips[j].path} in the same network`,
        'give each <ip> its own subnet, or remove one'
      )
      break
    }
  }
}
