import { describe, expect, it } from 'vitest'

import type { Ip } from '../net/ip'
import { formatIp, parseIPv4 } from '../net/ip'
import { slicePart, sliceRange } from './dhcp-slice'

const ip = (t: string): Ip => parseIPv4(t) as Ip
const range = (a: string, b: string): { start: Ip; end: Ip } => ({ start: ip(a), end: ip(b) })
const text = (r: { start: Ip; end: Ip } | null): string | null => (r ? `${formatIp(r.start)}-${formatIp(r.end)}` : null)

describe('slicePart', () => {
  it('cuts .2–.254 (253 addresses) into three disjoint parts that cover it', () => {
    const r = range('192.168.50.2', '192.168.50.254')
    expect([1, 2, 3].map((i) => text(slicePart(r, i, 3)))).toEqual([
      '192.168.50.2-192.168.50.85',
      '192.168.50.86-192.168.50.169',
      '192.168.50.170-192.168.50.254'
    ])
  })

  it('one part is the whole range', () => {
    expect(text(slicePart(range('10.0.0.10', '10.0.0.20'), 1, 1))).toBe('10.0.0.10-10.0.0.20')
  })

  it('refuses more parts than addresses and a part outside 1..n', () => {
    expect(slicePart(range('10.0.0.10', '10.0.0.11'), 1, 3)).toBeNull()
    expect(slicePart(range('10.0.0.10', '10.0.0.20'), 0, 3)).toBeNull()
    expect(slicePart(range('10.0.0.10', '10.0.0.20'), 4, 3)).toBeNull()
  })
})

describe('sliceRange', () => {
  it("gives this host's part and the others'", () => {
    const s = sliceRange(range('10.0.0.1', '10.0.0.9'), { part: 2, of: 3 })
    expect(text(s?.own ?? null)).toBe('10.0.0.4-10.0.0.6')
    expect(s?.others.map(text)).toEqual(['10.0.0.1-10.0.0.3', '10.0.0.7-10.0.0.9'])
  })
})
