/**
 * Which of a network's port forwards reach which guest row, their short labels, and the SSH
 * command for a guest (through a tcp forward to port 22 when there is one). Pure.
 */
import type { ForwardInfo, GuestsOutput } from '../api'

export type GuestRow = GuestsOutput['guests'][number]
type Reservation = GuestsOutput['reservations'][number]

const lower = (s: string): string => s.toLowerCase()

function guestAddresses(g: GuestRow): string[] {
  return [...(g.ipv4 ? [g.ipv4.ip] : []), ...g.ipv6.map((a) => a.ip)].map(lower)
}

/** The reservation names that stand for this guest: its own, and any kept for its MAC or IPv4 address. */
function reservationNames(g: GuestRow, reservations: readonly Reservation[]): string[] {
  const mine = reservations.filter(
    (r) => (r.mac !== null && lower(r.mac) === lower(g.mac)) || (r.ip !== null && r.ip === g.ipv4?.ip)
  )
  return [g.reservation?.name ?? null, ...mine.map((r) => r.name)].flatMap((n) => (n === null ? [] : [lower(n)]))
}

/**
 * A forward belongs to a guest when its target is the guest's MAC, one of its addresses or a
 * reservation name for it, or when it goes now to one of its addresses (a target the list spells
 * differently, such as an IPv6 address not written canonically).
 */
export function forwardsOfGuest(
  g: GuestRow,
  forwards: readonly ForwardInfo[],
  reservations: readonly Reservation[]
): ForwardInfo[] {
  const addresses = guestAddresses(g)
  const names = reservationNames(g, reservations)
  return forwards.filter((f) => {
    const to = lower(f.to)
    if (to === lower(g.mac) || addresses.includes(to) || names.includes(to)) return true
    return [f.ipv4, f.ipv6].some((a) => a !== null && addresses.includes(lower(a)))
  })
}

const FAMILY: Record<ForwardInfo['family'], string> = { ipv4: '', ipv6: ' (IPv6)', both: ' (IPv4+IPv6)' }

/** `tcp 2222 → 22`, `udp 203.0.113.5:5353 → 53`, `tcp 8080 → 80 (IPv6)`. */
export function forwardLabel(f: ForwardInfo): string {
  const at = f.address === null ? '' : f.address.includes(':') ? `[${f.address}]:` : `${f.address}:`
  return `${f.proto} ${at}${f.port} → ${f.toPort}${FAMILY[f.family]}`
}

/** The address an SSH command reaches the guest at directly: IPv4, else the first global IPv6 (none: null). */
export function sshTarget(g: GuestRow): string | null {
  if (g.ipv4) return g.ipv4.ip
  return g.ipv6.find((a) => !a.linkLocal)?.ip ?? null
}

/** The host's addresses without prefix length, IPv4 and IPv6 apart (uplink ones first). */
export interface HostAddresses {
  ipv4: string[]
  ipv6: string[]
}

/** `203.0.113.2/24` and `fd00::1/64` lists to bare addresses by family; link-local IPv6 left out. */
export function hostAddressesOf(cidrs: readonly string[]): HostAddresses {
  const bare = cidrs.map((c) => c.split('/')[0])
  return {
    ipv4: bare.filter((a) => !a.includes(':')),
    ipv6: bare.filter((a) => a.includes(':') && !lower(a).startsWith('fe80:'))
  }
}

/**
 * `ssh -p 2222 user@203.0.113.2` through a tcp forward to the guest's port 22 (IPv4 ones first,
 * at the forward's own host address if it has one), else `ssh user@GUEST` (no address: null).
 */
export function sshCommand(g: GuestRow, forwards: readonly ForwardInfo[], host: HostAddresses): string | null {
  const ssh = forwards.filter((f) => f.proto === 'tcp' && f.toPort === 22)
  const ordered = [...ssh.filter((f) => f.family !== 'ipv6'), ...ssh.filter((f) => f.family === 'ipv6')]
  for (const f of ordered) {
    const address =
      f.address ?? (f.family !== 'ipv6' ? host.ipv4[0] : undefined) ?? (f.family !== 'ipv4' ? host.ipv6[0] : undefined)
    if (address !== undefined) return f.port === 22 ? `ssh user@${address}` : `ssh -p ${f.port} user@${address}`
  }
  const target = sshTarget(g)
  return target === null ? null : `ssh user@${target}`
}
