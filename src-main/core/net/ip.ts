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

const IPV4_PART = /^(0|[1-9][0-9]{0,2})$/

export function parseIPv4(text: string): Ip | null {
  const parts = text.split('.')
  if (parts.length !== 4) return null
  let value = 0n
  for (const part of parts) {
    if (!IPV4_PART.test(part)) return null
    const n = Number(part)
    if (n > 255) return null
    value = (value << 8n) | BigInt(n)
  }
  return { family: 4, value }
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
