import { describe, expect, it } from 'vitest'

import { formatArgv, formatExpiry, plural } from './format'

describe('format', () => {
  it('says when a lease expires', () => {
    const now = 1_000_000 * 1000
    expect(formatExpiry(null, now)).toBe('never')
    expect(formatExpiry(1_000_000 - 5, now)).toBe('expired')
    expect(formatExpiry(1_000_000 + 30, now)).toBe('in 30 s')
    expect(formatExpiry(1_000_000 + 3120, now)).toBe('in 52 min')
    expect(formatExpiry(1_000_000 + 3 * 3600 + 300, now)).toBe('in 3 h 5 min')
    expect(formatExpiry(1_000_000 + 5 * 86400, now)).toBe('in 5 days')
  })

  it('quotes argv words that need it', () => {
    expect(formatArgv(['ip', 'link', 'add', 'virbr0', 'type', 'bridge'])).toBe('ip link add virbr0 type bridge')
    expect(formatArgv(['nft', '-f', 'a b', "it's"])).toBe(`nft -f 'a b' 'it'\\''s'`)
  })

  it('pluralises', () => {
    expect(plural(1, 'guest', 'guests')).toBe('1 guest')
    expect(plural(0, 'guest', 'guests')).toBe('0 guests')
  })
})
