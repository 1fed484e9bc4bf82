/**
 * Picks a free IPv4 /24 for a new guest network, deterministically for given host facts.
 *
 * Order of candidates:
 *  - the default network: 192.168.122.0/24 (libvirt's, which guests and docs expect), then
 *    192.168.123.0/24 … 192.168.254.0/24, then the pool;
 *  - any other network: 192.168.123.0/24 … 192.168.254.0/24, then the pool. 192.168.122.0/24 is
 *    never offered to them, even when no default network exists, so that restoring the default
 *    network later still finds its usual range free.
 * The pool is a list of IPv4 blocks cut into /24s in address order, blocks in the order given.
 * The built-in pool starts at 10.122.0.0/16 (as rarely used by home routers and VPN providers as
 * 192.168.122/24 is) and then walks the rest of 10.0.0.0/8.
 *
 * A candidate is skipped when it overlaps any host network (see `findClashes`) or a `taken` subnet
 * (the other guestnet networks). Blocked ranges are merged and sorted once, and each step skips past
 * a whole blocking range, so a 10/8 route or 10,000 routes cost one pass, not 65,536 checks.
 */
import type { HostFacts } from '../model/host-facts'
import type { ClashOptions } from '../host/clash'
import { prepareHostFacts } from '../host/clash'
import type { Cidr } from '../net/cidr'
import { cidrOf, lastIp, parseCidr } from '../net/cidr'

export type RangePurpose = 'default' | 'other'

export interface SuggestRangeOptions extends ClashOptions {
  /** Subnets of other guestnet networks (any family; only IPv4 ones matter here). */
  taken?: readonly Cidr[]
  purpose: RangePurpose
  /** IPv4 blocks of /24 or larger, e.g. `['10.0.0.0/8']`; default `DEFAULT_POOL`. */
  pool?: readonly string[]
}

export const DEFAULT_POOL: readonly string[] = ['10.122.0.0/16', '10.0.0.0/8']

export const DEFAULT_NETWORK_RANGE = '192.168.122.0/24'

const SLASH24 = 256n

interface Interval {
  start: bigint
  end: bigint
}

/** The first free /24 in the order above, or null when every candidate is taken. Throws on a bad pool entry. */
export function suggestRange(facts: HostFacts, opts: SuggestRangeOptions): Cidr | null {
  const pool = (opts.pool ?? DEFAULT_POOL).map(parsePoolEntry)
  const blocked = blockedIntervals(facts, opts)
  const preferredFirst = opts.purpose === 'default' ? 122n : 123n
  for (let third = preferredFirst; third <= 254n; third++) {
    const start = (192n << 24n) | (168n << 16n) | (third << 8n)
    if (!overlapping(blocked, start, start + SLASH24 - 1n)) return slash24(start)
  }
  for (const block of pool) {
    const found = firstFreeIn(blocked, block.network, lastIp(block).value)
    if (found !== null) return slash24(found)
  }
  return null
}

/** Why a pool entry is unusable, as an Error naming the entry. */
function parsePoolEntry(text: string): Cidr {
  const cidr = typeof text === 'string' && text.includes('/') ? parseCidr(text) : null
  if (!cidr || cidr.family !== 4)
    throw new Error(`range pool entry ${JSON.stringify(text)} is not an IPv4 block like "10.0.0.0/8"`)
  if (cidr.prefix > 24)
    throw new Error(`range pool entry '${text}' is smaller than a /24: a pool block must hold at least one /24`)
  return cidr
}

function slash24(start: bigint): Cidr {
  return cidrOf({ family: 4, value: start }, 24)
}

function blockedIntervals(facts: HostFacts, opts: SuggestRangeOptions): Interval[] {
  const ignore = new Set(opts.ignoreDevs ?? [])
  const raw: Interval[] = []
  const add = (c: Cidr): void => {
    if (c.family === 4) raw.push({ start: c.network, end: lastIp(c).value })
  }
  for (const n of prepareHostFacts(facts).networks) {
    if (n.dev === undefined || !ignore.has(n.dev)) add(n.cidr)
  }
  for (const t of opts.taken ?? []) add(t)
  if (opts.purpose === 'other') add(parseCidr(DEFAULT_NETWORK_RANGE) as Cidr)
  raw.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
  const merged: Interval[] = []
  for (const iv of raw) {
    const last = merged[merged.length - 1]
    if (last && iv.start <= last.end + 1n) {
      if (iv.end > last.end) last.end = iv.end
    } else {
      merged.push({ ...iv })
    }
  }
  return merged
}

/** Index of the first merged interval ending at or after `at`, or -1. */
function firstEndingFrom(blocked: Interval[], at: bigint): number {
  let lo = 0
  let hi = blocked.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (blocked[mid].end < at) lo = mid + 1
    else hi = mid
  }
  return lo < blocked.length ? lo : -1
}

function overlapping(blocked: Interval[], start: bigint, end: bigint): Interval | null {
  const i = firstEndingFrom(blocked, start)
  return i >= 0 && blocked[i].start <= end ? blocked[i] : null
}

/** Start of the first /24 inside [start, end] that no blocked interval touches, or null. */
function firstFreeIn(blocked: Interval[], start: bigint, end: bigint): bigint | null {
  let at = start
  while (at + SLASH24 - 1n <= end) {
    const hit = overlapping(blocked, at, at + SLASH24 - 1n)
    if (!hit) return at
    // Jump to the first /24 boundary past the blocking range.
    at = ((hit.end + 1n + SLASH24 - 1n) / SLASH24) * SLASH24
  }
  return null
}
