/**
 * Does a guest subnet overlap a network the host already reaches? Checked by overlap (not equality)
 * against the subnets of the host's addresses and the routes of every table, VPN policy tables
 * included, because a route in table 51820 takes the traffic as surely as one in `main`.
 *
 * Never a clash: default routes and VPN split-default routes (`isDefaultLike`), loopback,
 * link-local and multicast, and routes of types that do not claim a destination (`throw`,
 * broadcast, …). Routes through our own bridges can be left out with `ignoreDevs`.
 */
import type { HostFacts } from '../model/host-facts'
import type { Cidr } from '../net/cidr'
import { cidrOf, formatCidr, lastIp, parseCidr } from '../net/cidr'
import { FAMILY_BITS, parseIp } from '../net/ip'
import { isDefaultLike, specialRangeOf } from './special-ranges'

export interface Clash {
  /** Our subnet, as CIDR text. */
  subnet: string
  /** The host network it overlaps, as CIDR text. */
  other: string
  dev?: string
  /** Routing table as `ip` prints it (`main`, `51820`); `local` for an address. */
  table: string
  kind: 'address' | 'route'
  /** E.g. `192.168.122.0/24 overlaps 192.168.0.0/16 on wlan0 (table 51820)`. */
  message: string
}

export interface ClashOptions {
  /** Interfaces whose addresses and routes are ours (guestnet bridges): never a clash. */
  ignoreDevs?: readonly string[]
}

/** One host network, parsed once. */
export interface HostNetwork {
  cidr: Cidr
  /** First and last address of `cidr`, for overlap tests by comparison alone. */
  first: bigint
  last: bigint
  dev?: string
  table: string
  kind: 'address' | 'route'
  /** For an address: the address itself (`192.168.1.23/24`). */
  address?: string
  /** For a route of a special type: `blackhole`, `unreachable`, `prohibit`, `local`. */
  routeType?: string
}

export interface PreparedHostFacts {
  networks: HostNetwork[]
}

/** Route types that claim their destination. `throw` hands the lookup on; others are not networks. */
const CLAIMING_TYPES = new Set(['unicast', 'local', 'blackhole', 'unreachable', 'prohibit'])

const prepared = new WeakMap<HostFacts, PreparedHostFacts>()

/**
 * Parses every CIDR of `facts` once and drops what can never clash. Cached per facts object,
 * so treat HostFacts as immutable once built.
 */
export function prepareHostFacts(facts: HostFacts): PreparedHostFacts {
  const cached = prepared.get(facts)
  if (cached) return cached
  const networks: HostNetwork[] = []
  const addressKeys = new Set<string>()
  const ownHosts = new Set<string>()
  for (const a of facts.addresses) {
    const ip = parseIp(a.address)
    if (
      !ip ||
      ip.family !== a.family ||
      !Number.isInteger(a.prefix) ||
      a.prefix < 0 ||
      a.prefix > FAMILY_BITS[ip.family]
    )
      continue
    ownHosts.add(`${a.family}|${ip.value}`)
    const cidr = cidrOf(ip, a.prefix)
    const last = lastIp(cidr).value
    if (specialRangeOf(cidr, last)) continue
    addressKeys.add(`${cidrKey(cidr)}|${a.ifname}`)
    networks.push({
      cidr,
      first: cidr.network,
      last,
      dev: a.ifname,
      table: 'local',
      kind: 'address',
      address: `${a.address}/${a.prefix}`
    })
  }
  for (const r of facts.routes) {
    const type = r.type ?? 'unicast'
    if (!CLAIMING_TYPES.has(type)) continue
    const cidr = parseCidr(r.dst)
    if (!cidr || cidr.family !== r.family || isDefaultLike(cidr)) continue
    const last = lastIp(cidr).value
    if (specialRangeOf(cidr, last)) continue
    // The kernel's prefix route of an address, and the local route of the address itself, say
    // nothing the address did not: one report per fact.
    if (r.dev && addressKeys.has(`${cidrKey(cidr)}|${r.dev}`) && (r.table === 'main' || r.table === 'local')) continue
    if (
      type === 'local' &&
      ownHosts.has(`${cidr.family}|${cidr.network}`) &&
      cidr.prefix === (cidr.family === 4 ? 32 : 128)
    )
      continue
    const network: HostNetwork = { cidr, first: cidr.network, last, table: r.table, kind: 'route' }
    if (r.dev) network.dev = r.dev
    if (type !== 'unicast') network.routeType = type
    networks.push(network)
  }
  const result = { networks }
  prepared.set(facts, result)
  return result
}

/** Every host network that `subnet` overlaps, in the order of the facts (addresses first). */
export function findClashes(subnet: Cidr, facts: HostFacts, opts: ClashOptions = {}): Clash[] {
  const ignore = new Set(opts.ignoreDevs ?? [])
  const subnetText = formatCidr(subnet)
  const first = subnet.network
  const last = lastIp(subnet).value
  const clashes: Clash[] = []
  for (const n of prepareHostFacts(facts).networks) {
    if (n.cidr.family !== subnet.family || n.first > last || n.last < first) continue
    if (n.dev !== undefined && ignore.has(n.dev)) continue
    const other = formatCidr(n.cidr)
    const clash: Clash = {
      subnet: subnetText,
      other,
      table: n.table,
      kind: n.kind,
      message: clashMessage(subnetText, other, n)
    }
    if (n.dev !== undefined) clash.dev = n.dev
    clashes.push(clash)
  }
  return clashes
}

// Numeric identity of a block: formatting every route's text up front (IPv6 especially) dominated the cost.
function cidrKey(c: Cidr): string {
  return `${c.family}|${c.network}|${c.prefix}`
}

function clashMessage(subnet: string, other: string, n: HostNetwork): string {
  const on = n.dev !== undefined ? ` on ${n.dev}` : ''
  if (n.kind === 'address') return `${subnet} overlaps ${other}${on} (address ${n.address})`
  const type = n.routeType ? `${n.routeType} route, ` : ''
  return `${subnet} overlaps ${other}${on} (${type}table ${n.table})`
}
