/** Small text formatting for the views. */
import type { NetworkSummary } from '../api'

/** `in 52 min`, `in 3 h 5 min`, `expired`, `never` from an expiry in epoch seconds. */
export function formatExpiry(expiresAt: number | null, nowMs: number): string {
  if (expiresAt === null) return 'never'
  const left = Math.round(expiresAt - nowMs / 1000)
  if (left <= 0) return 'expired'
  if (left < 60) return `in ${left} s`
  const minutes = Math.floor(left / 60)
  if (minutes < 60) return `in ${minutes} min`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  if (hours < 48) return rest ? `in ${hours} h ${rest} min` : `in ${hours} h`
  return `in ${Math.floor(hours / 24)} days`
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}

export const statusLabel: Record<'active' | 'inactive' | 'broken', string> = {
  active: 'Active',
  inactive: 'Inactive',
  broken: 'Broken'
}

export const modeLabel: Record<NonNullable<NetworkSummary['mode']>, string> = {
  nat: 'NAT',
  route: 'Routed',
  open: 'Open',
  none: 'Isolated',
  bridge: 'Host bridge'
}

/** `1420 (follows the uplink)`: a running network's guest MTU and why. */
export function mtuLabel(mtu: NonNullable<NetworkSummary['mtu']>): string {
  const why = { definition: 'set in the definition', uplink: 'follows the uplink', default: 'Ethernet default' }
  return `${mtu.value} (${why[mtu.source]})`
}

/** Where an `ipv6='lan'` network's guests get IPv6 from now. */
export function uplinkLabel(u: NonNullable<NetworkSummary['uplink']>): string {
  return u.prefix === null || u.dev === null
    ? 'no prefix on the uplink now: the network’s own IPv6 only'
    : `${u.prefix} from ${u.dev} (the network this computer is on)`
}

/** One peer host of a spanning network as the dashboard lists it. */
export function peerLabel(p: NonNullable<NetworkSummary['span']>['peers'][number]): string {
  if (p.seen === null) return p.address
  if (!p.seen) return `${p.address}: nothing heard lately`
  return `${p.address}: ${plural(p.guests ?? 0, 'guest', 'guests')} behind it`
}

/** The argv of a plan step as one line a person can read (and paste), quoting what needs it. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')
}
