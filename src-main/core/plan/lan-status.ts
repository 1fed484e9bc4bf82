/** How a running `ipv6='lan'` network is told in status (`guestnet net-info`, the dashboard). Pure. */
import type { RecordLan } from './network-record'

export interface LanStatus {
  ipv6: 'lan'
  dev: string | null
  prefix: string | null
  proxies: number
  note: string
}

export function lanStatus(lan: RecordLan): LanStatus {
  const u = lan.uplink
  return {
    ipv6: 'lan',
    dev: u?.dev ?? null,
    prefix: u?.prefix ?? null,
    proxies: lan.proxies.length,
    note: u
      ? `guests get addresses in ${u.prefix} from ${u.dev}; ${lan.proxies.length} reachable from the LAN`
      : "the uplink offers no IPv6 prefix: guests have the network's own IPv6 (its ULA) only"
  }
}
