/**
 * firewalld running with one of our bridges in a zone that does not allow DHCP and DNS (or in no
 * zone at all, so the default zone, usually `public`, applies): guests get no address. The fix puts
 * the bridge in libvirt's zone (installed with libvirt: it allows exactly DHCP, DNS and the like) or,
 * without it, in `trusted`, for the running firewalld only (no --permanent: a reload forgets it, and
 * undo puts the bridge back where it was). Also: a zone no policy lets forward out of (firewalld 0.9+
 * rejects such traffic; advice only, a policy is a lasting change to firewalld's configuration), and
 * StrictForwardPorts=yes in firewalld.conf (others' DNAT, port forwards to guests, is dropped).
 */
import type { DoctorObservation, Finding, FixCommand } from '../model'
import type { BridgeNeeds } from './guest-needs'
import { allBridgeNeeds, networksText, severityFor } from './guest-needs'

function requiredServices(n: BridgeNeeds): string[] {
  const out: string[] = []
  if (n.input4.some((x) => x.kind === 'port' && x.port === 67)) out.push('dhcp')
  if (n.input6.some((x) => x.kind === 'port' && x.port === 547)) out.push('dhcpv6')
  if ([...n.input4, ...n.input6].some((x) => x.kind === 'port' && x.port === 53)) out.push('dns')
  return out
}

/** What is missing in `zone` for the bridge, or [] when the zone lets it all in (target ACCEPT, or the services). */
export function zoneGaps(obs: DoctorObservation, zone: string | null, needed: readonly string[]): string[] {
  if (zone === null) return [...needed]
  const info = obs.firewalld.zoneInfo[zone]
  if (!info) return [...needed]
  if (info.target === 'ACCEPT' || zone === 'trusted') return []
  return needed.filter((s) => !info.services.includes(s))
}

/** The zone the fix moves the bridge to: guestnet's own (packaged), else libvirt's, else trusted. */
export function targetZone(obs: DoctorObservation): string {
  const zones = obs.firewalld.zones
  return zones.includes('guestnet') ? 'guestnet' : zones.includes('libvirt') ? 'libvirt' : 'trusted'
}

export function firewalldFix(bridge: string, current: string | null, target: string): FixCommand {
  if (current === null) {
    return {
      argv: ['firewall-cmd', `--zone=${target}`, `--add-interface=${bridge}`],
      undo: ['firewall-cmd', `--zone=${target}`, `--remove-interface=${bridge}`]
    }
  }
  return {
    argv: ['firewall-cmd', `--zone=${target}`, `--change-interface=${bridge}`],
    undo: ['firewall-cmd', `--zone=${current}`, `--change-interface=${bridge}`]
  }
}

/**
 * Does firewalld let traffic forwarded out of `zone` through? Since 0.9 its forward chain rejects what
 * no policy accepts (a zone with target ACCEPT, or `trusted`, lets its own ingress through).
 */
export function forwardsOutOf(obs: DoctorObservation, zone: string | null): boolean {
  const fw = obs.firewalld
  if (fw.policies === undefined) return true
  if (zone === 'trusted' || (zone !== null && fw.zoneInfo[zone]?.target === 'ACCEPT')) return true
  return Object.values(fw.policies).some(
    (p) =>
      p.target === 'ACCEPT' &&
      (p.ingress.includes('ANY') || (zone !== null && p.ingress.includes(zone))) &&
      p.egress.some((e) => e !== 'HOST')
  )
}

function forwardFinding(obs: DoctorObservation, n: BridgeNeeds, zone: string | null): Finding | null {
  const isolated = obs.networks.find((x) => x.bridge === n.bridge)?.isolated ?? false
  if (isolated || !(n.forward4 || n.forward6) || forwardsOutOf(obs, zone)) return null
  const z = zone ?? 'its default zone'
  const commands = [
    'firewall-cmd --permanent --new-policy guestnet-out',
    `firewall-cmd --permanent --policy guestnet-out --add-ingress-zone ${zone ?? 'ZONE'}`,
    'firewall-cmd --permanent --policy guestnet-out --add-egress-zone ANY',
    'firewall-cmd --permanent --policy guestnet-out --set-target ACCEPT',
    'firewall-cmd --reload'
  ]
  return {
    id: `firewalld/forward-${n.bridge}`,
    check: 'firewalld',
    severity: severityFor([n]),
    title: `firewalld rejects traffic forwarded out of zone ${z} (${n.bridge})`,
    explanation:
      `firewalld 0.9 and later reject forwarded traffic that no policy accepts, and ${n.bridge} (${networksText([n])}) is in zone ${z}, ` +
      "which no policy with target ACCEPT lets out: guests reach the host but nothing beyond it. An accept in guestnet's own table cannot win over " +
      "firewalld's reject (every table's forward chain must accept).",
    evidence: [
      `zone of ${n.bridge}: ${z}${zone !== null && obs.firewalld.zoneInfo[zone] ? ` (target ${obs.firewalld.zoneInfo[zone].target})` : ''}`,
      `policies: ${
        Object.entries(obs.firewalld.policies ?? {})
          .map(([name, p]) => `${name} (${p.ingress.join(',')} -> ${p.egress.join(',')}: ${p.target})`)
          .join('; ') || 'none'
      }`
    ],
    fix: null,
    advice: `a policy for the guests' zone: ${commands.join(' && ')} (undo: firewall-cmd --permanent --delete-policy guestnet-out && firewall-cmd --reload); or put ${n.bridge} in a zone with target ACCEPT (libvirt's)`
  }
}

function strictForwardPortsFinding(obs: DoctorObservation): Finding | null {
  if (obs.firewalld.strictForwardPorts !== true) return null
  return {
    id: 'firewalld/strict-forward-ports',
    check: 'firewalld',
    severity: 'info',
    title: 'firewalld has StrictForwardPorts=yes: port forwards made by others do not reach guests',
    explanation:
      'With StrictForwardPorts=yes firewalld drops forwarded traffic that another program redirected (DNAT), so a port forward to a guest ' +
      "made outside firewalld (guestnet's, Docker's published ports) never arrives. Guests' own outgoing traffic is not affected.",
    evidence: ['/etc/firewalld/firewalld.conf: StrictForwardPorts=yes'],
    fix: null,
    advice:
      'forward the port with firewalld itself (firewall-cmd --zone=ZONE --add-forward-port=port=P:proto=tcp:toport=P:toaddr=GUEST), or set StrictForwardPorts=no in /etc/firewalld/firewalld.conf and run firewall-cmd --reload'
  }
}

export function checkFirewalld(obs: DoctorObservation): Finding[] {
  const fw = obs.firewalld
  if (fw.state !== 'running') return []
  const out: Finding[] = []
  const strict = allBridgeNeeds(obs.networks).length > 0 ? strictForwardPortsFinding(obs) : null
  if (strict) out.push(strict)
  for (const n of allBridgeNeeds(obs.networks)) {
    const fwd = forwardFinding(obs, n, fw.interfaceZones[n.bridge] ?? fw.defaultZone)
    if (fwd) out.push(fwd)
  }
  for (const n of allBridgeNeeds(obs.networks)) {
    const needed = requiredServices(n)
    if (needed.length === 0) continue
    const assigned = fw.interfaceZones[n.bridge] ?? null
    const effective = assigned ?? fw.defaultZone
    const gaps = zoneGaps(obs, effective, needed)
    if (gaps.length === 0) continue
    const target = targetZone(obs)
    const where =
      assigned === null
        ? `in no zone, so the default zone${effective ? ` (${effective})` : ''} applies`
        : `in zone ${assigned}`
    out.push({
      id: `firewalld/${n.bridge}`,
      check: 'firewalld',
      severity: severityFor([n]),
      title: `firewalld blocks ${gaps.join(' and ')} on ${n.bridge}`,
      explanation:
        `firewalld is running and ${n.bridge} (${networksText([n])}) is ${where}, which does not allow ${gaps.join(', ')}: guests ` +
        `get no address or cannot resolve names. The fix puts ${n.bridge} in the ${target} zone` +
        (target === 'guestnet'
          ? " (guestnet's zone: DHCP, DHCPv6, DNS, TFTP and ICMP to the host, forwarding accepted)"
          : target === 'libvirt'
            ? " (libvirt's zone: DHCP, DNS and the like, nothing else)"
            : ' (it accepts everything from the bridge)') +
        ' for the running firewalld only; undo puts it back. To keep it across firewalld reloads, add --permanent and reload.',
      evidence: [
        `firewall-cmd --get-zone-of-interface=${n.bridge}: ${assigned ?? 'no zone'}`,
        ...(effective && fw.zoneInfo[effective]
          ? [
              `zone ${effective}: target ${fw.zoneInfo[effective].target}, services ${fw.zoneInfo[effective].services.join(' ') || '(none)'}`
            ]
          : [])
      ],
      fix: {
        summary: `put ${n.bridge} in firewalld's ${target} zone (runtime only)`,
        commands: [firewalldFix(n.bridge, assigned, target)]
      },
      advice: `to keep it: firewall-cmd --permanent --zone=${target} --add-interface=${n.bridge} && firewall-cmd --reload`
    })
  }
  return out
}
