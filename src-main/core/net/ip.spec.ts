import { Address6 } from 'ip-address'
import { describe, expect, it } from 'vitest'

import { canonicalIp, formatIp, parseIp, parseIPv6 } from './ip'

/** What ip.ts answered when it used the ip-address library: the reference for every input below. */
function oracleParse(text: string): bigint | null {
  if (!text.includes(':') || /[/%[\]\s]/.test(text)) return null
  if (!Address6.isValid(text)) return null
  try {
    return new Address6(text).bigInt()
  } catch {
    return null
  }
}

/** A small deterministic generator (the failures must be reproducible). */
function rng(seed: number): () => number {
  let x = seed >>> 0
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 0x100000000
  }
}

const EDGE = [
  '::',
  '::1',
  '1::',
  '::ffff:192.0.2.1',
  '64:ff9b::198.51.100.7',
  '::0.0.0.0',
  '::255.255.255.255',
  '::256.1.1.1',
  '::01.2.3.4',
  '::1.2.3',
  '1.2.3.4',
  '1:2:3:4:5:6:1.2.3.4',
  '1:2:3:4:5:6:7:1.2.3.4',
  '1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7:8:9',
  '1:2:3:4:5:6:7::',
  '::2:3:4:5:6:7:8',
  '1:2:3:4::5:6:7:8',
  ':',
  ':::',
  '1:::2',
  '1::2::3',
  ':1::',
  '1::2:',
  ':1:2:3:4:5:6:7',
  '12345::',
  '0000:0000:0000:0000:0000:0000:0000:0001',
  '2001:DB8::A',
  'fe80::1%eth0',
  '2001:db8::/64',
  '[::1]',
  ' ::1',
  '::1 ',
  'g::1',
  '::1.2.3.4.5',
  '1.2.3.4::',
  '::ffff:1.2.3.04',
  '0:0:0:0:0:0:0:0',
  '::ffff:0:0',
  'a:b:c:d:e:f:0:1',
  '2001:0db8:0000:0000:0000:ff00:0042:8329',
  '0000:0000:0000:0000:0000:ffff:255.255.255.255',
  '00000:0:0:0:0:0:0:0'
]

function randomCandidate(r: () => number): string {
  const n = 1 + Math.floor(r() * 9)
  const groups: string[] = []
  for (let i = 0; i < n; i++) {
    const len = Math.floor(r() * 6)
    let g = ''
    for (let k = 0; k < len; k++) g += '0123456789abcdefABCDEF0000'[Math.floor(r() * 26)]
    groups.push(g)
  }
  let text = groups.join(':')
  const roll = r()
  if (roll < 0.35) {
    const at = Math.floor(r() * (text.length + 1))
    text = `${text.slice(0, at)}::${text.slice(at)}`
  } else if (roll < 0.45) {
    text = `${text}::`
  }
  if (r() < 0.2) {
    const octets = Array.from({ length: r() < 0.9 ? 4 : 3 }, () =>
      String(Math.floor(r() * 300)).padStart(r() < 0.1 ? 3 : 1, '0')
    )
    text = `${text}${text.endsWith(':') ? '' : ':'}${octets.join('.')}`
  }
  if (r() < 0.05) text = text.replace(/:/, ':::')
  if (r() < 0.05) text = `${text}x`
  return text
}

describe('parseIPv6 accepts exactly what ip-address accepts, with the same value', () => {
  it('on edge cases', () => {
    for (const text of EDGE) expect([text, parseIPv6(text)?.value ?? null]).toEqual([text, oracleParse(text)])
  })

  it('on 20,000 generated candidates, valid and not', () => {
    const r = rng(0x67e7)
    let valid = 0
    for (let i = 0; i < 20_000; i++) {
      const text = randomCandidate(r)
      const want = oracleParse(text)
      if (want !== null) valid++
      expect([text, parseIPv6(text)?.value ?? null]).toEqual([text, want])
    }
    // the generator must exercise both sides
    expect(valid).toBeGreaterThan(2000)
    expect(valid).toBeLessThan(18_000)
  })
})

describe('formatIp (IPv6) writes what ip-address writes (RFC 5952)', () => {
  it('on values with every pattern of zero groups', () => {
    const r = rng(5952)
    for (let mask = 0; mask < 256; mask++) {
      for (let k = 0; k < 4; k++) {
        let v = 0n
        for (let g = 0; g < 8; g++) {
          const group = mask & (1 << g) ? BigInt(1 + Math.floor(r() * 0xffff)) : 0n
          v = (v << 16n) | group
        }
        expect(formatIp({ family: 6, value: v })).toBe(Address6.fromBigInt(v).correctForm())
      }
    }
  })

  it('round-trips and canonicalises', () => {
    expect(canonicalIp('2001:DB8:0::1')).toBe('2001:db8::1')
    expect(canonicalIp('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1')
    expect(canonicalIp('::ffff:192.0.2.1')).toBe('::ffff:c000:201')
    expect(canonicalIp('1:0:2:3:4:5:6:7')).toBe('1:0:2:3:4:5:6:7')
    expect(parseIp('fe80::1%eth0')).toBeNull()
    expect(() => formatIp({ family: 6, value: 1n << 128n })).toThrow(RangeError)
  })
})
