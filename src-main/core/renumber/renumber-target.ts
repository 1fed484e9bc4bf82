/**
 * Where a renumbered network goes when the user does not say: the first free /24 (`suggestRange`)
 * that avoids the host's networks, the other guestnet networks and the network's own current
 * subnet (so a renumber always moves). A `--to` given by the user is checked here too.
 */
import type { SuggestRangeOptions } from '../address/suggest-range'
import { suggestRange } from '../address/suggest-range'
import type { HostFacts } from '../model/host-facts'
import type { NetworkDef } from '../model/network'
import type { Problem } from '../model/problem'
import type { Cidr } from '../net/cidr'
import { formatCidr, parseCidr } from '../net/cidr'
import { parseIp } from '../net/ip'
import { subnetOfIp } from './renumber-network'

/** Every subnet of the given networks (any family). */
export function subnetsOf(defs: readonly NetworkDef[]): Cidr[] {
  return defs.flatMap((d) => d.ips.flatMap((ip) => subnetOfIp(ip) ?? []))
}

export interface TargetContext {
  facts: HostFacts
  /** Every other guestnet network. */
  others: readonly NetworkDef[]
  /** host.json's range pool, when set. */
  pool?: readonly string[]
}

/** The suggested IPv4 subnet for `def`, or null when no /24 is free. */
export function suggestRenumberTarget(def: NetworkDef, ctx: TargetContext): Cidr | null {
  const opts: SuggestRangeOptions = {
    purpose: def.name === 'default' ? 'default' : 'other',
    taken: [...subnetsOf(ctx.others), ...subnetsOf([def])]
  }
  // Our own bridge still holds the old address: it is not a host network to avoid.
  if (def.bridge?.name) opts.ignoreDevs = [def.bridge.name]
  if (ctx.pool) opts.pool = ctx.pool
  return suggestRange(ctx.facts, opts)
}

const MAX_PREFIX: Record<4 | 6, number> = { 4: 30, 6: 64 }

/**
 * Reads a `--to` subnet: `10.122.0.0/24`. The host bits must be clear (`10.122.0.1/24` is
 * refused: it looks like an address, and the gateway keeps its own host part anyway).
 */
export function parseRenumberTarget(text: string): { ok: true; cidr: Cidr } | { ok: false; problem: Problem } {
  const bad = (message: string, fix = 'give a subnet such as 10.122.0.0/24'): { ok: false; problem: Problem } => ({
    ok: false,
    problem: { field: 'to', message, fix }
  })
  if (typeof text !== 'string' || text.length > 64 || !text.includes('/'))
    return bad(`'${String(text).slice(0, 64)}' is not a subnet in CIDR form`)
  const cidr = parseCidr(text)
  if (!cidr) return bad(`'${text}' is not a subnet in CIDR form`)
  const base = parseIp(text.slice(0, text.indexOf('/')))
  if (base && base.value !== cidr.network)
    return bad(`'${text}' has host bits set: did you mean ${formatCidr(cidr)}?`, `use ${formatCidr(cidr)}`)
  if (cidr.prefix > MAX_PREFIX[cidr.family])
    return bad(`'${text}' is too small for a guest network (at most /${MAX_PREFIX[cidr.family]})`)
  return { ok: true, cidr }
}
