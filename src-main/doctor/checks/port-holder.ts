/**
 * Another program holding a port our dnsmasq needs: UDP 67 (DHCP), UDP 547 (DHCPv6), port 53
 * (DNS) on a bridge's address or on every address. dnsmasq then fails to start, or guests' requests
 * go to the other program. No automatic fix: the other program is named, with what to change in it.
 */
import type { DoctorObservation, Finding, ObservedSocket } from '../model'
import { isWildcard } from '../../core/host/proc-net'

interface PortUse {
  proto: 'udp' | 'tcp'
  port: number
  what: string
}

function addressOnly(cidr: string): string {
  return cidr.split('/')[0]
}

function portsInUse(obs: DoctorObservation): PortUse[] {
  const out: PortUse[] = []
  if (obs.networks.some((n) => n.dhcp4)) out.push({ proto: 'udp', port: 67, what: 'DHCP' })
  if (obs.networks.some((n) => n.dhcp6)) out.push({ proto: 'udp', port: 547, what: 'DHCPv6' })
  if (obs.networks.some((n) => n.dns))
    out.push({ proto: 'udp', port: 53, what: 'DNS' }, { proto: 'tcp', port: 53, what: 'DNS' })
  return out
}

function holderText(s: ObservedSocket): string {
  const who = s.pid === null ? 'an unknown program (run as root to see which)' : `${s.program ?? '?'} (pid ${s.pid})`
  const addr = s.family === 6 ? `[${s.address}]` : s.address
  return `${s.proto} ${addr}:${s.port} held by ${who}${s.cmdline ? `: ${s.cmdline}` : ''}`
}

function adviceFor(holders: readonly ObservedSocket[], bridges: string): string {
  const programs = new Set(holders.map((h) => h.program ?? ''))
  const tips: string[] = []
  if (programs.has('dnsmasq'))
    tips.push(
      `for another dnsmasq: add bind-interfaces and except-interface=${bridges.split(', ')[0]} to its configuration, or stop it`
    )
  if (programs.has('named')) tips.push('for BIND: list only its own addresses in listen-on / listen-on-v6')
  if (programs.has('systemd-resolve'))
    tips.push('for systemd-resolved: drop the DNSStubListenerExtra= entries that listen on every address')
  tips.push('otherwise stop that program, or make it listen only on its own interfaces')
  return tips.join('; ')
}

export function checkPortHolders(obs: DoctorObservation): Finding[] {
  const gateways = new Set(obs.networks.flatMap((n) => [...n.ipv4, ...n.ipv6].map(addressOnly)))
  const bridges = obs.networks.map((n) => n.bridge).join(', ')
  const out: Finding[] = []
  for (const use of portsInUse(obs)) {
    const holders = obs.sockets.filter(
      (s) =>
        !s.ours && s.proto === use.proto && s.port === use.port && (isWildcard(s.address) || gateways.has(s.address))
    )
    if (holders.length === 0) continue
    const exact = holders.some((h) => !isWildcard(h.address))
    // DHCP always listens on every address: anyone else there takes the guests' requests. For DNS, a
    // wildcard holder only gets in the way when it did not set SO_REUSEADDR, which /proc does not show.
    const severity = use.port === 53 && !exact ? 'warning' : 'error'
    out.push({
      id: `port-holder/${use.proto}-${use.port}`,
      check: 'port-holder',
      severity,
      title: `another program holds ${use.proto.toUpperCase()} ${use.port} (${use.what}) on ${exact ? 'a bridge address' : 'every address'}`,
      explanation:
        `guestnet's dnsmasq answers ${use.what} for the guests on ${use.proto} port ${use.port} of the bridge (${bridges}). ` +
        `${holders.map(holderText).join('; ')}. ${severity === 'error' ? 'dnsmasq cannot serve the guests while it does' : 'dnsmasq may be unable to bind the port while it does'}. ` +
        'There is no automatic fix: the other program must move out of the way.',
      evidence: holders.map(holderText),
      fix: null,
      advice: adviceFor(holders, bridges)
    })
  }
  return out
}
