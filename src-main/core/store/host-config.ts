/**
 * `host.json`: host-wide settings that outlive any one network.
 *
 *   { "ula": "fdXX:XXXX:XXXX::/48", "rangePool": ["10.0.0.0/8"] }
 *
 * `ula` is the host's RFC 4193 prefix, generated once from 40 random bits and never changed
 * (every network's IPv6 subnet is cut from it). `rangePool` is optional: the IPv4 blocks new
 * networks get their subnets from; absent, `suggestRange` uses its own built-in pool.
 */
import { parseCidr } from '../net/cidr'

export interface HostConfig {
  ula: string
  rangePool?: string[]
}

export type HostConfigParse = { ok: true; config: HostConfig } | { ok: false; message: string }

export function parseHostConfig(text: string): HostConfigParse {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    return { ok: false, message: `not valid JSON (${(e as Error).message})` }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, message: 'not a JSON object' }
  const obj = raw as Record<string, unknown>
  const ulaProblem = ulaPrefixProblem(obj.ula)
  if (ulaProblem) return { ok: false, message: `"ula": ${ulaProblem}` }
  const config: HostConfig = { ula: obj.ula as string }
  if (obj.rangePool !== undefined) {
    const poolProblem = rangePoolProblem(obj.rangePool)
    if (poolProblem) return { ok: false, message: `"rangePool": ${poolProblem}` }
    config.rangePool = obj.rangePool as string[]
  }
  return { ok: true, config }
}

export function formatHostConfig(config: HostConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`
}

/** Why `value` is not a ULA /48 (`fdXX:XXXX:XXXX::/48`), or null. */
export function ulaPrefixProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'missing: expected a ULA prefix like "fd12:3456:789a::/48"'
  const cidr = parseCidr(value)
  if (!cidr || cidr.family !== 6 || cidr.prefix !== 48 || !value.includes('/')) {
    return `'${value}' is not an IPv6 /48 like "fd12:3456:789a::/48"`
  }
  if (cidr.network >> 120n !== 0xfdn)
    return `'${value}' is not a locally assigned ULA (RFC 4193: it must start with fd)`
  if (parseCidr(value.slice(0, value.indexOf('/')))?.network !== cidr.network)
    return `'${value}' has bits set after the /48`
  return null
}

/** Why `value` is not a list of IPv4 CIDR blocks, or null. */
export function rangePoolProblem(value: unknown): string | null {
  if (!Array.isArray(value) || value.length === 0) return 'expected a non-empty list of IPv4 blocks like ["10.0.0.0/8"]'
  for (const item of value) {
    const cidr = typeof item === 'string' && item.includes('/') ? parseCidr(item) : null
    if (!cidr || cidr.family !== 4) return `${JSON.stringify(item)} is not an IPv4 block like "10.0.0.0/8"`
    if (cidr.prefix > 24) return `'${item}' is smaller than a /24: a pool block must hold at least one /24`
  }
  return null
}
