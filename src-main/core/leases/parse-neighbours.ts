/**
 * The bridge's neighbour table, as `ip -j neigh show dev BRIDGE` prints it: each entry's address,
 * link-layer address and state. Entries without a link-layer address (FAILED, INCOMPLETE) say
 * nothing about a guest and are left out. Pure.
 */
import { canonicalIp, parseIp } from '../net/ip'
import { macProblem } from '../validate/syntax'

export interface Neighbour {
  family: 'ipv4' | 'ipv6'
  ip: string
  mac: string
  /** `REACHABLE`, `STALE`, `DELAY`, `PROBE`, `PERMANENT`, … as the kernel names it. */
  state: string
}

export function parseNeighbours(json: string): Neighbour[] {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    return []
  }
  if (!Array.isArray(raw)) return []
  return raw.flatMap((entry): Neighbour[] => {
    if (typeof entry !== 'object' || entry === null) return []
    const e = entry as { dst?: unknown; lladdr?: unknown; state?: unknown }
    if (typeof e.dst !== 'string' || typeof e.lladdr !== 'string' || macProblem(e.lladdr) !== null) return []
    const ip = parseIp(e.dst)
    if (!ip) return []
    const states = Array.isArray(e.state) ? e.state.filter((s): s is string => typeof s === 'string') : []
    return [
      {
        family: ip.family === 6 ? 'ipv6' : 'ipv4',
        ip: canonicalIp(e.dst) ?? e.dst,
        mac: e.lladdr.toLowerCase(),
        state: states[0] ?? 'UNKNOWN'
      }
    ]
  })
}
