/**
 * IP addresses as (family, bigint) pairs, so IPv4 and IPv6 share one set of range arithmetic.
 * IPv4 input is parsed as strict dotted decimal (no octal `010`, no short forms like `10.1`);
 * IPv6 parsing and canonical formatting (RFC 5952) come from ip-address.
 */
import { Address6 } from 'ip-address'

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

export function parseIPv6(text: string): Ip | null {
  // No prefix, zone or brackets here: those are not addresses.
  if (!text.includes(':') || /[/%[\]\s]/.test(text)) return null
  if (!Address6.isValid(text)) return null
  try {
    return { family: 6, value: new Address6(text).bigInt() }
  } catch {
    return null
  }
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
  return Address6.fromBigInt(ip.value).correctForm()
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
