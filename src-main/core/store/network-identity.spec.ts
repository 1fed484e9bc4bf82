import { describe, expect, it } from 'vitest'

import { bridgeMacFromRandom, sameMac, sameUuid } from './network-identity'

describe('network identity', () => {
  it('makes 52:54:00 MACs from three random bytes', () => {
    expect(bridgeMacFromRandom(new Uint8Array([0x0a, 0xff, 0x01]))).toBe('52:54:00:0a:ff:01')
    expect(bridgeMacFromRandom(new Uint8Array([1, 2, 3, 4]))).toBe('52:54:00:01:02:03')
    expect(() => bridgeMacFromRandom(new Uint8Array([1]))).toThrow(/3 random bytes/)
  })
  it('compares UUIDs ignoring case and dashes, MACs ignoring case', () => {
    expect(sameUuid('3E3FCE45-4F53-4FA7-BB32-11F34168B82B', '3e3fce454f534fa7bb3211f34168b82b')).toBe(true)
    expect(sameUuid('3e3fce45-4f53-4fa7-bb32-11f34168b82b', '3e3fce45-4f53-4fa7-bb32-11f34168b82c')).toBe(false)
    expect(sameMac('52:54:00:AA:00:01', '52:54:00:aa:00:01')).toBe(true)
    expect(sameMac('52:54:00:aa:00:01', '52:54:00:aa:00:02')).toBe(false)
  })
})
