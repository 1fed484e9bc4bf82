/** CIDR blocks: parse, contain, overlap, first/last address. */
import type { Family, Ip } from './ip'
import { FAMILY_BITS, formatIp, maskOf, parseIp } from './ip'

export interface Cidr {
  family: Family
  /** The network address (host bits cleared). */
  network: bigint
  prefix: number
}

/** `192.168.122.1/24` → 192.168.122.0/24. Host bits are cleared, not refused (an interface address is a valid input). */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/')
  if (slash < 0) {
    const ip = parseIp(text)
    return ip ? { family: ip.family, network: ip.value, prefix: FAMILY_BITS[ip.family] } : null
  }
  const ip = parseIp(text.slice(0, slash))
  const prefixText = text.slice(slash + 1)
  if (!ip || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return null
  const prefix = Number(prefixText)
  if (prefix > FAMILY_BITS[ip.family]) return null
  return cidrOf(ip, prefix)
}

export function cidrOf(ip: Ip, prefix: number): Cidr {
  return { family: ip.family, network: ip.value & maskOf(ip.family, prefix), prefix }
}

export function formatCidr(c: Cidr): string {
  return `${formatIp({ family: c.family, value: c.network })}/${c.prefix}`
}

export function firstIp(c: Cidr): Ip {
  return { family: c.family, value: c.network }
}

export function lastIp(c: Cidr): Ip {
  const hostBits = BigInt(FAMILY_BITS[c.family] - c.prefix)
  return { family: c.family, value: c.network | ((1n << hostBits) - 1n) }
}

export function cidrSize(c: Cidr): bigint {
  return 1n << BigInt(FAMILY_BITS[c.family] - c.prefix)
}

export function cidrContainsIp(c: Cidr, ip: Ip): boolean {
  return c.family === ip.family && (ip.value & maskOf(c.family, c.prefix)) === c.network
}

/** True when every address of `inner` is in `outer`. */
export function cidrContainsCidr(outer: Cidr, inner: Cidr): boolean {
  return (
    outer.family === inner.family &&
    outer.prefix <= inner.prefix &&
    (inner.network & maskOf(outer.family, outer.prefix)) === outer.network
  )
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false
  const p = Math.min(a.prefix, b.prefix)
  const m = maskOf(a.family, p)
  return (a.network & m) === (b.network & m)
}
