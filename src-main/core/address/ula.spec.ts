import { describe, expect, it } from 'vitest'

import { ulaPrefixFromRandom, ulaSubnet } from './ula'

describe('ulaPrefixFromRandom', () => {
  it('puts the 40 random bits after fd', () => {
    expect(ulaPrefixFromRandom(new Uint8Array([0x12, 0x34, 0x56, 0x78, 0x9a]))).toBe('fd12:3456:789a::/48')
    expect(ulaPrefixFromRandom(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]))).toBe('fdff:ffff:ffff::/48')
    // Canonical form: leading zeros dropped, zero groups compressed.
    expect(ulaPrefixFromRandom(new Uint8Array([0x00, 0x00, 0x12, 0x00, 0x00]))).toBe('fd00:12::/48')
  })
  it('refuses anything but exactly 5 bytes', () => {
    expect(() => ulaPrefixFromRandom(new Uint8Array(4))).toThrow('exactly 5 random bytes (40 bits), got 4')
    expect(() => ulaPrefixFromRandom(new Uint8Array(6))).toThrow('got 6')
    expect(() => ulaPrefixFromRandom([1, 2, 3, 4, 5] as unknown as Uint8Array)).toThrow('exactly 5 random bytes')
  })
})

describe('ulaSubnet', () => {
  it('numbers /64s inside the /48', () => {
    expect(ulaSubnet('fd12:3456:789a::/48', 0)).toBe('fd12:3456:789a::/64')
    expect(ulaSubnet('fd12:3456:789a::/48', 1)).toBe('fd12:3456:789a:1::/64')
    expect(ulaSubnet('FD12:3456:789A::/48', 0xabcd)).toBe('fd12:3456:789a:abcd::/64')
    expect(ulaSubnet(ulaPrefixFromRandom(new Uint8Array([0, 0, 0, 0, 1])), 0xffff)).toBe('fd00:0:1:ffff::/64')
  })
  it('validates the prefix and the subnet id', () => {
    expect(() => ulaSubnet('fd12:3456:789a::/56', 1)).toThrow('is not an IPv6 /48')
    expect(() => ulaSubnet('fd12:3456:789a::', 1)).toThrow('is not an IPv6 /48')
    expect(() => ulaSubnet('2001:db8:1::/48', 1)).toThrow('not a locally assigned ULA prefix')
    expect(() => ulaSubnet('fc12:3456:789a::/48', 1)).toThrow('starts with fd')
    expect(() => ulaSubnet('fd12:3456:789a:1::/48', 1)).toThrow(
      'bits set after the /48: write the prefix itself, e.g. "fd12:3456:789a::/48"'
    )
    expect(() => ulaSubnet('fd12:3456:789a::/48', 65536)).toThrow('from 0 to 65535')
    expect(() => ulaSubnet('fd12:3456:789a::/48', -1)).toThrow('out of range')
    expect(() => ulaSubnet('fd12:3456:789a::/48', 1.5)).toThrow('out of range')
  })
})
