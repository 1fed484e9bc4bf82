/** The clash banner's words and its one bit of logic: which guests are still on an old address. */
import type { ChannelOutput, EventPayload } from '../../../../src-main/contract/ipc-contract'

export type ClashView = EventPayload<'network:clash'>['clashes'][number]
export type RenumberResult = ChannelOutput<'network:renumber'>
export type StaleGuest = RenumberResult['staleGuests'][number]
export type LeaseView = ChannelOutput<'network:leases'>['leases'][number]

/** `10.122.0.0/24` contains `10.122.0.7`? IPv4 only (renumbering moves IPv4 subnets); false for anything else. */
export function inIpv4Subnet(ip: string, cidr: string): boolean {
  const toInt = (text: string): number | null => {
    const parts = text.split('.')
    if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null
    return parts.reduce((acc, p) => acc * 256 + Number(p), 0)
  }
  const [base, prefixText] = cidr.split('/')
  const a = toInt(ip)
  const b = toInt(base)
  const prefix = Number(prefixText)
  if (a === null || b === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false
  const size = 2 ** (32 - prefix)
  return Math.floor(a / size) === Math.floor(b / size)
}

/**
 * The guests of a renumber that still hold an old address, given the network's leases now: a guest
 * has moved once a lease of its MAC lies in the new subnet, or its old lease is gone.
 */
export function stillStale(
  stale: readonly StaleGuest[],
  leases: readonly LeaseView[],
  newSubnet: string
): StaleGuest[] {
  const moved = new Set(
    leases.filter((l) => l.mac !== null && inIpv4Subnet(l.ip, newSubnet)).map((l) => (l.mac ?? '').toLowerCase())
  )
  const held = new Set(leases.map((l) => l.ip))
  return stale.filter((g) => held.has(g.ip) && !(g.mac !== null && moved.has(g.mac.toLowerCase())))
}

export function guestLabel(g: StaleGuest): string {
  return `${g.hostname ?? g.mac ?? 'a guest'} (${g.ip})`
}

/** What the banner says once a renumber is done. */
export function renumberedText(r: RenumberResult): string {
  if (!r.changed) return `Network ${r.name} already uses ${r.to}.`
  const how = r.live ? ' while running; attached guests stay attached' : '; it uses the new range when it next starts'
  return `Moved network ${r.name} from ${r.from} to ${r.to}${how}.`
}

export function staleText(guests: readonly StaleGuest[]): string {
  if (guests.length === 0) return 'Every guest has an address in the new range.'
  return `Still on an old address: ${guests.map(guestLabel).join(', ')}. They get a new one at their next DHCP renewal; renew inside the guest (or reconnect its network) to move it now.`
}
