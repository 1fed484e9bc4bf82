/**
 * `ip -j addr`, `ip -j -4 route show table all` and `ip -j -6 route show table all` → HostFacts.
 *
 * The input is whatever `ip` printed (or a recorded file), so single entries that make no sense are
 * skipped rather than failing the whole read; only a wrong overall shape is an error. Dropped on
 * purpose: broadcast, multicast and anycast routes (they describe delivery, not networks), and
 * `local` host routes that only mirror one of the host's own addresses (the address covers them).
 */
import type { AddrFamily, HostAddress, HostFacts, HostLink, HostRoute, RawHostFacts } from '../model/host-facts'
import { formatCidr, parseCidr } from '../net/cidr'
import { FAMILY_BITS, formatIp, parseIp } from '../net/ip'

const SOURCES = {
  addr: "'ip -j addr'",
  route4: "'ip -j -4 route show table all'",
  route6: "'ip -j -6 route show table all'"
} as const

/** Route types that say how packets are delivered to the host or a group, not where a network is. */
const DROPPED_TYPES = new Set(['broadcast', 'multicast', 'anycast'])

type Json = Record<string, unknown>

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing'
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`
}

/**
 * A short printable token (interface, table, protocol names); anything else is treated as absent.
 * Tables and protocols may be numbers (`ip` prints ids it has no name for).
 */
function token(v: unknown, numberOk = false): string | undefined {
  if (numberOk && typeof v === 'number' && Number.isInteger(v) && v >= 0) return String(v)
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) return undefined
  return /[\u0000-\u0020\u007f]/.test(v) ? undefined : v
}

/**
 * Parses the three outputs. `source` names where they came from (a file name) in error messages.
 * Throws an Error naming the source and the part that has the wrong shape.
 */
export function parseHostFacts(raw: RawHostFacts, source = 'host facts'): HostFacts {
  if (!isRecord(raw)) {
    throw new Error(
      `${source}: expected a JSON object {"addr": [...], "route4": [...], "route6": [...]}, got ${describe(raw)}`
    )
  }
  for (const key of ['addr', 'route4', 'route6'] as const) {
    if (!Array.isArray(raw[key])) {
      throw new Error(
        `${source}: "${key}" must be the JSON array printed by ${SOURCES[key]}, got ${describe(raw[key])}`
      )
    }
  }
  const addresses = parseAddresses(raw.addr as unknown[])
  const own = new Set(addresses.map((a) => `${a.family}|${a.address}`))
  const routes = [...parseRoutes(raw.route4 as unknown[], 4, own), ...parseRoutes(raw.route6 as unknown[], 6, own)]
  const links = parseLinks(raw.addr as unknown[])
  return links.length > 0 ? { addresses, routes, links } : { addresses, routes }
}

/** Each interface's MTU (`mtu` of an `ip -j addr` entry); entries without a sane one are skipped. */
function parseLinks(links: unknown[]): HostLink[] {
  const out: HostLink[] = []
  for (const link of links) {
    if (!isRecord(link)) continue
    const ifname = token(link.ifname)
    const mtu = positiveInt(link.mtu)
    if (ifname && mtu !== undefined) out.push({ ifname, mtu })
  }
  return out
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 0xffffffff ? v : undefined
}

/** `"metrics": [{"mtu": 1400}]`: the route's own MTU, if it has one. */
function routeMtu(entry: Json): number | undefined {
  if (!Array.isArray(entry.metrics)) return undefined
  for (const m of entry.metrics) {
    const mtu = isRecord(m) ? positiveInt(m.mtu) : undefined
    if (mtu !== undefined) return mtu
  }
  return undefined
}

/**
 * The addresses in `ip -j addr` output (already JSON-parsed, or its text): the one reader of
 * `addr_info` (host facts, the doctor, live renumber and the sandbox all use it). Anything that is
 * not a well-formed address is skipped.
 */
export function parseIpAddrJson(json: unknown): HostAddress[] {
  let links = json
  if (typeof links === 'string') {
    try {
      links = JSON.parse(links) as unknown
    } catch {
      return []
    }
  }
  return Array.isArray(links) ? parseAddresses(links) : []
}

function parseAddresses(links: unknown[]): HostAddress[] {
  const out: HostAddress[] = []
  for (const link of links) {
    if (!isRecord(link) || !Array.isArray(link.addr_info)) continue
    const ifname = token(link.ifname)
    if (!ifname) continue
    for (const info of link.addr_info) {
      const address = parseAddrInfo(ifname, info)
      if (address) out.push(address)
    }
  }
  return out
}

function parseAddrInfo(ifname: string, info: unknown): HostAddress | null {
  if (!isRecord(info)) return null
  const family: AddrFamily | null = info.family === 'inet' ? 4 : info.family === 'inet6' ? 6 : null
  if (family === null || typeof info.local !== 'string') return null
  const ip = parseIp(info.local)
  const prefix = info.prefixlen
  if (!ip || ip.family !== family) return null
  if (typeof prefix !== 'number' || !Number.isInteger(prefix) || prefix < 0 || prefix > FAMILY_BITS[family]) return null
  const address: HostAddress = { ifname, family, address: formatIp(ip), prefix }
  const scope = token(info.scope)
  if (scope) address.scope = scope
  if (info.tentative === true || info.dadfailed === true) address.tentative = true
  if (info.deprecated === true) address.deprecated = true
  if (info.dynamic === true) address.dynamic = true
  return address
}

function parseRoutes(entries: unknown[], family: AddrFamily, ownAddresses: Set<string>): HostRoute[] {
  const out: HostRoute[] = []
  for (const entry of entries) {
    if (!isRecord(entry)) continue
    const route = parseRoute(entry, family)
    if (!route) continue
    if (route.type && DROPPED_TYPES.has(route.type)) continue
    if (route.type === 'local' && isOwnAddress(route, ownAddresses)) continue
    out.push(route)
  }
  return out
}

function parseRoute(entry: Json, family: AddrFamily): HostRoute | null {
  const dst = parseDst(entry.dst, family)
  if (!dst) return null
  const firstHop = Array.isArray(entry.nexthops) && isRecord(entry.nexthops[0]) ? entry.nexthops[0] : undefined
  const route: HostRoute = { family, dst, table: token(entry.table, true) ?? 'main' }
  const dev = token(entry.dev) ?? token(firstHop?.dev)
  if (dev) route.dev = dev
  const type = token(entry.type)
  if (type) route.type = type
  const gateway = gatewayOf(entry) ?? (firstHop ? gatewayOf(firstHop) : undefined)
  if (gateway) route.gateway = gateway
  const protocol = token(entry.protocol, true)
  if (protocol) route.protocol = protocol
  const metric = typeof entry.metric === 'number' && Number.isInteger(entry.metric) ? entry.metric : undefined
  if (metric !== undefined && metric >= 0) route.metric = metric
  const mtu = routeMtu(entry)
  if (mtu !== undefined) route.mtu = mtu
  return route
}

/** `default` → the all-addresses prefix; `10.1.2.3` (no prefix) → a host route /32 or /128. */
function parseDst(dst: unknown, family: AddrFamily): string | null {
  if (dst === 'default') return family === 4 ? '0.0.0.0/0' : '::/0'
  if (typeof dst !== 'string') return null
  const cidr = parseCidr(dst)
  return cidr && cidr.family === family ? formatCidr(cidr) : null
}

/** `gateway` is a plain address; `via` (a gateway of the other family, RFC 5549) is `{family, host}`. */
function gatewayOf(hop: Json): string | undefined {
  const text =
    typeof hop.gateway === 'string'
      ? hop.gateway
      : isRecord(hop.via) && typeof hop.via.host === 'string'
        ? hop.via.host
        : undefined
  const ip = text === undefined ? null : parseIp(text)
  return ip ? formatIp(ip) : undefined
}

function isOwnAddress(route: HostRoute, ownAddresses: Set<string>): boolean {
  const slash = route.dst.indexOf('/')
  const prefix = Number(route.dst.slice(slash + 1))
  return prefix === FAMILY_BITS[route.family] && ownAddresses.has(`${route.family}|${route.dst.slice(0, slash)}`)
}
