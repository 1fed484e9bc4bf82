/**
 * What our guests need a firewall to let through, per bridge and family, in one neutral form that
 * the iptables and nftables checks each test for and turn into their own narrow accept rules.
 */
import type { ObservedNetwork } from '../model'

/** Traffic guests send to the host itself (the input hook). */
export type InputNeed =
  { kind: 'port'; proto: 'udp' | 'tcp'; port: number; what: string } | { kind: 'nd'; what: string }

export interface BridgeNeeds {
  bridge: string
  network: string
  running: boolean
  /** In and out of the bridge through the IPv4 / IPv6 forward hook (guests to the internet; with br_netfilter, guest to guest). */
  forward4: boolean
  forward6: boolean
  input4: InputNeed[]
  input6: InputNeed[]
}

function dnsNeeds(): InputNeed[] {
  return [
    { kind: 'port', proto: 'udp', port: 53, what: 'DNS' },
    { kind: 'port', proto: 'tcp', port: 53, what: 'DNS over TCP' }
  ]
}

export function bridgeNeeds(net: ObservedNetwork): BridgeNeeds {
  const input4: InputNeed[] = []
  const input6: InputNeed[] = []
  if (net.dhcp4) input4.push({ kind: 'port', proto: 'udp', port: 67, what: 'DHCP' })
  if (net.dns && net.ipv4.length > 0) input4.push(...dnsNeeds())
  if (net.dhcp6) input6.push({ kind: 'port', proto: 'udp', port: 547, what: 'DHCPv6' })
  if (net.dns && net.ipv6.length > 0) input6.push(...dnsNeeds())
  if (net.ipv6.length > 0) input6.push({ kind: 'nd', what: 'router and neighbour discovery' })
  return {
    bridge: net.bridge,
    network: net.name,
    running: net.running,
    forward4: net.ipv4.length > 0,
    forward6: net.ipv6.length > 0,
    input4,
    input6
  }
}

export function allBridgeNeeds(networks: readonly ObservedNetwork[]): BridgeNeeds[] {
  return networks.map(bridgeNeeds)
}

export function needLabel(n: InputNeed): string {
  return n.kind === 'nd' ? n.what : `${n.what} (${n.proto} ${n.port})`
}

/** Severity for a firewall problem: error when a running network suffers, warning when only defined ones would. */
export function severityFor(affected: readonly BridgeNeeds[]): 'error' | 'warning' {
  return affected.some((a) => a.running) ? 'error' : 'warning'
}

export function networksText(affected: readonly BridgeNeeds[]): string {
  return affected.map((a) => `${a.network} (${a.bridge}${a.running ? ', running' : ''})`).join(', ')
}
