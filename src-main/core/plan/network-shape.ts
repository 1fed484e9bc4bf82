/**
 * What the plan builders need to know about a definition, worked out once: the bridge, the
 * subnets per family, which address block serves DHCP, whether DNS is on and whether dnsmasq runs.
 * Mirrors libvirt's choices (bridge_driver.c networkDnsmasqConfContents / networkStartDhcpDaemon).
 */
import type { Cidr } from '../net/cidr'
import { cidrOf, formatCidr } from '../net/cidr'
import { parseIp } from '../net/ip'
import type { IpConfig, NetworkDef } from '../model/network'
import { PlanError } from './plan-error'
import { isInterfaceName } from '../net/ifname'

export interface AddressBlock {
  /** Index in `def.ips`, for error messages. */
  index: number
  ip: IpConfig
  /** The subnet, host bits cleared: `192.168.122.0/24`. */
  subnet: Cidr
  subnetText: string
}

export interface NetworkShape {
  def: NetworkDef
  bridge: string
  ipv4: AddressBlock[]
  ipv6: AddressBlock[]
  /**
   * The bridge speaks IPv6: it has IPv6 addresses, or `<network ipv6='yes'>` asks for link-local
   * IPv6 alone (guests and the host reach each other over fe80::, offline too; mDNS works on it).
   */
  bridgeIpv6: boolean
  /** The IPv4 block with `<dhcp>` ranges or hosts (libvirt allows one per family). */
  dhcp4?: AddressBlock
  dhcp6?: AddressBlock
  /** The IPv4 block with `<tftp>` (libvirt allows one per network, IPv4 only). */
  tftp?: AddressBlock
  dnsEnabled: boolean
  isolated: boolean
  /** dnsmasq has work: DHCP, DNS, TFTP, or router advertisements for an IPv6 address. */
  needsDnsmasq: boolean
}

export function hasDhcp(ip: IpConfig): boolean {
  return (ip.dhcp?.ranges.length ?? 0) > 0 || (ip.dhcp?.hosts.length ?? 0) > 0
}

function addressBlock(ip: IpConfig, index: number): AddressBlock {
  const parsed = parseIp(ip.address)
  const wantFamily = ip.family === 'ipv4' ? 4 : 6
  if (!parsed || parsed.family !== wantFamily) {
    throw new PlanError(
      `ip[${index}].address`,
      `'${ip.address}' is not an ${ip.family} address`,
      'give the host address on the bridge'
    )
  }
  const subnet = cidrOf(parsed, ip.prefix)
  return { index, ip, subnet, subnetText: formatCidr(subnet) }
}

function firstWithDhcp(blocks: AddressBlock[], family: string): AddressBlock | undefined {
  const withDhcp = blocks.filter((b) => hasDhcp(b.ip))
  if (withDhcp.length > 1) {
    throw new PlanError(
      `ip[${withDhcp[1].index}].dhcp`,
      `only one ${family} address may have <dhcp> (ip[${withDhcp[0].index}] has one already)`,
      'keep the DHCP ranges and hosts on a single address'
    )
  }
  return withDhcp[0]
}

function tftpBlock(blocks: AddressBlock[]): AddressBlock | undefined {
  const withTftp = blocks.filter((b) => b.ip.tftp)
  const wrong = withTftp.find((b) => b.ip.family !== 'ipv4') ?? withTftp[1]
  if (wrong) {
    throw new PlanError(
      `ip[${wrong.index}].tftp`,
      'only one IPv4 address of a network may have <tftp>',
      'keep a single <tftp root=…/> on an IPv4 <ip>'
    )
  }
  return withTftp[0]
}

/** Interface names go into ip batch files and quoted nft strings: refuse anything that could break out. */
export function checkIfname(field: string, name: string): void {
  if (!isInterfaceName(name)) {
    throw new PlanError(field, `'${name}' is not a usable interface name`, 'use 1 to 15 letters, digits or . _ - + : @')
  }
}

export function analyseNetwork(def: NetworkDef): NetworkShape {
  const bridge = def.bridge?.name
  if (!bridge || bridge.includes('%d')) {
    throw new PlanError(
      'bridge.name',
      'the network has no concrete bridge name',
      'define the network first so guestnet assigns one, or give <bridge name=…/>'
    )
  }
  checkIfname('bridge.name', bridge)
  if (def.forward.dev !== undefined) checkIfname('forward.dev', def.forward.dev)
  const blocks = def.ips.map(addressBlock)
  const ipv4 = blocks.filter((b) => b.ip.family === 'ipv4')
  const ipv6 = blocks.filter((b) => b.ip.family === 'ipv6')
  const dhcp4 = firstWithDhcp(ipv4, 'IPv4')
  const dhcp6 = firstWithDhcp(ipv6, 'IPv6')
  const tftp = tftpBlock(blocks)
  const dnsEnabled = def.dns?.enable !== false
  // libvirt starts dnsmasq for DHCP or DNS; with DNS off and no DHCP it skips it even when an IPv6
  // address would need router advertisements. We keep dnsmasq for RA then: without RA, guests on
  // an IPv6 network get no address at all.
  const needsDnsmasq =
    blocks.length > 0 &&
    (dnsEnabled || dhcp4 !== undefined || dhcp6 !== undefined || tftp !== undefined || ipv6.length > 0)
  return {
    def,
    bridge,
    ipv4,
    ipv6,
    bridgeIpv6: ipv6.length > 0 || def.ipv6 === true,
    dhcp4,
    dhcp6,
    tftp,
    dnsEnabled,
    isolated: def.forward.mode === 'none',
    needsDnsmasq
  }
}
