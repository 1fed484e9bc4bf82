/** Hand-built definitions for the plan's unit tests (no XML parser involved). */
import type { DhcpConfig, IpConfig, NetworkDef } from '../../src-main/core/model/network'
import type { PlanPaths } from '../../src-main/core/model/plan'

export const PATHS: PlanPaths = { runtimeDir: '/run/guestnet', stateDir: '/var/lib/guestnet' }

export function v4(address: string, prefix: number, dhcp?: Partial<DhcpConfig>): IpConfig {
  const ip: IpConfig = { family: 'ipv4', address, prefix }
  if (dhcp) ip.dhcp = { ranges: dhcp.ranges ?? [], hosts: dhcp.hosts ?? [] }
  return ip
}

export function v6(address: string, prefix: number, dhcp?: Partial<DhcpConfig>): IpConfig {
  const ip: IpConfig = { family: 'ipv6', address, prefix }
  if (dhcp) ip.dhcp = { ranges: dhcp.ranges ?? [], hosts: dhcp.hosts ?? [] }
  return ip
}

/** libvirt's default network: virbr0, 192.168.122.1/24, NAT, DHCP .2–.254. */
export function defaultNet(over: Partial<NetworkDef> = {}): NetworkDef {
  return {
    name: 'default',
    forward: { mode: 'nat' },
    bridge: { name: 'virbr0' },
    ips: [v4('192.168.122.1', 24, { ranges: [{ start: '192.168.122.2', end: '192.168.122.254' }] })],
    ...over
  }
}

export const ULA = 'fd12:3456:789a:1::1'
