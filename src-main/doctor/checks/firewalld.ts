/**
 * firewalld running with one of our bridges in a zone that does not allow DHCP and DNS (or in no
 * zone at all, so the default zone, usually `public`, applies): guests get no address. The fix puts
 * the bridge in libvirt's zone (installed with libvirt: it allows exactly DHCP, DNS and the like) or,
 * without it, in `trusted`, for the running firewalld only (no --permanent: a reload forgets it, and
 * undo puts the bridge back where it was).
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

/** The zone the fix moves the bridge to: libvirt's when firewalld has it, otherwise trusted. */
export function targetZone(obs: DoctorObservation): string {
  return obs.firewalld.zones.includes('libvirt') ? 'libvirt' : 'trusted'
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

export function checkFirewalld(obs: DoctorObservation): Finding[] {
  const fw = obs.firewalld
  if (fw.state !== 'running') return []
  const out: Finding[] = []
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
        (target === 'libvirt'
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
