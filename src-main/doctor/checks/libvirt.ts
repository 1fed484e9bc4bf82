/**
 * libvirt on the same host: its own `virbr0` (not ours: outside guestnet's interface group), or its
 * default network 192.168.122.0/24 overlapping one of ours. Explained, with the choices; no
 * automatic fix (renumbering or renaming is the user's call).
 */
import { GUESTNET_DEVGROUP } from '../../core/plan/devgroup'
import { cidrsOverlap, parseCidr } from '../../core/net/cidr'
import type { DoctorObservation, Finding, ObservedLink } from '../model'

export const LIBVIRT_DEFAULT_SUBNET = '192.168.122.0/24'
const OUR_GROUP = String(GUESTNET_DEVGROUP)

function foreignLinks(obs: DoctorObservation): ObservedLink[] {
  return obs.links.filter((l) => l.group !== OUR_GROUP)
}

function overlapsLibvirt(subnet: string): boolean {
  const a = parseCidr(subnet)
  const b = parseCidr(LIBVIRT_DEFAULT_SUBNET)
  return a !== null && b !== null && a.family === b.family && cidrsOverlap(a, b)
}

function bridgeFindings(obs: DoctorObservation): Finding[] {
  const out: Finding[] = []
  for (const link of foreignLinks(obs)) {
    // A host-bridge network names a bridge that is not guestnet's on purpose.
    const users = obs.networks.filter((n) => n.bridge === link.ifname && n.mode !== 'bridge')
    const libvirtName = /^virbr\d+$/.test(link.ifname)
    if (!libvirtName && users.length === 0) continue
    const owner = libvirtName ? "libvirt's" : "another program's"
    out.push({
      id: `libvirt/bridge-${link.ifname}`,
      check: 'libvirt',
      severity: users.length > 0 ? 'error' : 'info',
      title:
        users.length > 0
          ? `${link.ifname} exists already (${owner}, not guestnet's): ${users.map((u) => u.name).join(', ')} cannot use it`
          : `libvirt's own ${link.ifname} is here`,
      explanation:
        `${link.ifname}${link.addresses.length ? ` (${link.addresses.join(', ')})` : ''} is not one of guestnet's bridges (it is outside guestnet's interface group), ` +
        (users.length > 0
          ? `yet ${users.map((u) => u.name).join(', ')} ${users.length > 1 ? 'name' : 'names'} it as bridge, so ${users.length > 1 ? 'they' : 'it'} cannot start. guestnet never touches a bridge it did not create.`
          : 'so libvirt runs its own networks beside guestnet. That works as long as names and address ranges differ.'),
      evidence: [`interface ${link.ifname}, kind ${link.kind ?? 'unknown'}, group ${link.group}`],
      fix: null,
      advice:
        users.length > 0
          ? `give ${users.map((u) => u.name).join(', ')} another bridge name (edit the network: <bridge name='virbr1'/>), or stop libvirt's network: virsh net-destroy default && virsh net-autostart default --disable`
          : null
    })
  }
  return out
}

function subnetFindings(obs: DoctorObservation): Finding[] {
  const libvirtAddr = foreignLinks(obs).flatMap((l) =>
    l.addresses.filter(overlapsLibvirt).map((a) => ({ link: l.ifname, address: a }))
  )
  if (libvirtAddr.length === 0 && !obs.libvirtDefaultDefined) return []
  const out: Finding[] = []
  for (const net of obs.networks) {
    const clash = net.subnets.filter(overlapsLibvirt)
    if (clash.length === 0) continue
    const live = libvirtAddr[0]
    out.push({
      id: `libvirt/subnet-${net.name.replace(/[^A-Za-z0-9_.-]/g, '_')}`,
      check: 'libvirt',
      severity: live ? 'error' : 'warning',
      title: live
        ? `${net.name} (${clash.join(', ')}) overlaps libvirt's default network on ${live.link}`
        : `${net.name} (${clash.join(', ')}) would overlap libvirt's default network`,
      explanation:
        `libvirt's default network uses ${LIBVIRT_DEFAULT_SUBNET}` +
        (live
          ? `, and it is up on ${live.link} (${live.address})`
          : ' and is defined on this host (it starts whenever libvirt starts it)') +
        `. ${net.name} uses ${clash.join(', ')} too: the host cannot route to both, so guests of one of them lose their way out.`,
      evidence: [
        ...(live ? [`${live.link}: ${live.address}`] : ['/etc/libvirt/qemu/networks/default.xml exists']),
        `${net.name}: ${clash.join(', ')}`
      ],
      fix: null,
      advice: `renumber ${net.name} to a free range (guestnet net-renumber ${net.name}), or stop libvirt's default network: virsh net-destroy default && virsh net-autostart default --disable`
    })
  }
  return out
}

export function checkLibvirt(obs: DoctorObservation): Finding[] {
  return [...bridgeFindings(obs), ...subnetFindings(obs)]
}
