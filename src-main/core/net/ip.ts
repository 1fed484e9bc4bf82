/**
 * IP addresses as (family, bigint) pairs, so IPv4 and IPv6 share one set of range arithmetic.
 * IPv4 input is parsed as strict dotted decimal (no octal `010`, no short forms like `10.1`).
 * IPv6 is parsed and formatted (RFC 5952) here, accepting exactly what the ip-address library
 * accepts (ip.spec.ts checks that against it): loading that library cost every CLI start and every
 * helper start a few milliseconds, most of a lean start's budget.
 */

export type Family = 4 | 6

export interface Ip {
  family: Family
  value: bigint
}

export const FAMILY_BITS: Record<Family, number> = { 4: 32, 6: 128 }

/** Strict dotted decimal: four parts 0–255, no leading zeros (so no octal surprises), nothing else. */
export function parseIPv4(text: string): Ip | null {
  let value = 0
  let part = -1
  let digits = 0
  let dots = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return null
      value = value * 256 + part
      part = -1
      digits = 0
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && part === 0) return null
      part = digits === 0 ? c - 48 : part * 10 + (c - 48)
      if (++digits > 3 || part > 255) return null
    } else {
      return null
    }
  }
  if (dots !== 3 || digits === 0) return null
  return { family: 4, value: BigInt(value * 256 + part) }
}

const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/

/**
 * Hex groups, `::` standing for at least one zero group, and an optional dotted IPv4 tail (strict,
 * as above) standing for the last two groups. No prefix, zone or brackets: those are not addresses.
 */
export function parseIPv6(text: string): Ip | null {
  if (!text.includes(':') || text.length > 45) return null
  let s = text
  if (s.includes('.')) {
    const colon = s.lastIndexOf(':')
    const v4 = parseIPv4(s.slice(colon + 1))
    if (!v4) return null
    const v = Number(v4.value)
    s = `${s.slice(0, colon + 1)}${(v >>> 16).toString(16)}:${(v & 0xffff).toString(16)}`
  }
  if (!/^[0-9A-Fa-f:]+$/.test(s) || /:::|[^:]:$|^:[^:]/.test(s)) return null
  const halves = s.split('::')
  if (halves.length > 2) return null
  const part = (h: string): string[] => (h === '' ? [] : h.split(':'))
  let groups: string[]
  if (halves.length === 2) {
    const first = part(halves[0])
    const last = part(halves[1])
    const elided = 8 - first.length - last.length
    if (elided < 1) return null
    groups = [...first, ...Array<string>(elided).fill('0'), ...last]
  } else {
    groups = s.split(':')
  }
  if (groups.length !== 8) return null
  let value = 0n
  for (const g of groups) {
    if (!HEX_GROUP.test(g)) return null
    value = (value << 16n) | BigInt(parseInt(g, 16))
  }
  return { family: 6, value }
}

/** RFC 5952: lower case, no leading zeros, the longest run (the first of equals) of 2+ zero groups as `::`. */
function formatIPv6(value: bigint): string {
  if (value < 0n || value >> 128n !== 0n) throw new RangeError(`${value} is not an IPv6 address (0 to 2**128 - 1)`)
  const groups: number[] = []
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn))
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) {
      best = i
      bestLen = j - i
    }
    i = j
  }
  const hex = (from: number, to: number): string =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':')
  return best < 0 ? hex(0, 8) : `${hex(0, best)}::${hex(best + bestLen, 8)}`
}

/** Parses an IPv4 (strict dotted decimal) or IPv6 address; null if it is neither. */
export function parseIp(text: string): Ip | null {
  return text.includes(':') ? parseIPv6(text) : parseIPv4(text)
}

export function formatIp(ip: Ip): string {
  if (ip.family === 4) {
    const v = ip.value
    return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.')
  }
  return formatIPv6(ip.value)
}

/** Canonical text of an address (`2001:DB8:0::1` → `2001:db8::1`); null if it does not parse. */
export function canonicalIp(text: string): string | null {
  const ip = parseIp(text)
  return ip ? formatIp(ip) : null
}

export function maskOf(family: Family, prefix: number): bigint {
  const bits = BigInt(FAMILY_BITS[family])
  const p = BigInt(prefix)
  return ((1n << bits) - 1n) ^ ((1n << (bits - p)) - 1n)
}

/** `255.255.255.0` → 24; null for a non-contiguous or malformed mask. */
export function prefixFromNetmask(mask: string): number | null {
  const ip = parseIPv4(mask)
  if (!ip) return null
  for (let p = 0; p <= 32; p++) if (maskOf(4, p) === ip.value) return p
  return null
}

export function netmaskFromPrefix(prefix: number): string {
  return formatIp({ family: 4, value: maskOf(4, prefix) })
}

export function addToIp(ip: Ip, delta: bigint): Ip {
  return { family: ip.family, value: ip.value + delta }
}

export function sameIp(a: Ip, b: Ip): boolean {
  return a.family === b.family && a.value === b.value
}
