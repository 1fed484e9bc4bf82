import { describe, expect, it } from 'vitest'

import { cidrContainsCidr, cidrContainsIp, cidrsOverlap, formatCidr, lastIp, parseCidr } from './cidr'
import { canonicalIp, formatIp, netmaskFromPrefix, parseIp, parseIPv4, prefixFromNetmask } from './ip'

describe('ip parsing', () => {
  it('refuses octal-looking and short IPv4 forms', () => {
    expect(parseIPv4('010.0.0.1')).toBeNull()
    expect(parseIPv4('10.1')).toBeNull()
    expect(parseIPv4('256.0.0.1')).toBeNull()
    expect(parseIPv4('1.2.3.4 ')).toBeNull()
    for (const bad of ['1.2.3.4.', '.1.2.3', '1..2.3', '01.2.3.4', '1.2.3.1000', '', '1.2.3.-4', '1.2.3'])
      expect(parseIPv4(bad)).toBeNull()
    expect(formatIp(parseIPv4('0.0.0.0')!)).toBe('0.0.0.0')
    expect(formatIp(parseIPv4('255.255.255.255')!)).toBe('255.255.255.255')
    expect(formatIp(parseIPv4('192.168.122.1')!)).toBe('192.168.122.1')
  })
  it('parses and canonicalises IPv6', () => {
    expect(canonicalIp('2001:DB8:0:0::1')).toBe('2001:db8::1')
    expect(parseIp('fd00::1/64')).toBeNull()
    expect(parseIp('fe80::1%eth0')).toBeNull()
    expect(parseIp('fd00::1::2')).toBeNull()
  })
  it('converts netmasks strictly', () => {
    expect(prefixFromNetmask('255.255.255.0')).toBe(24)
    expect(prefixFromNetmask('255.0.255.0')).toBeNull()
    expect(prefixFromNetmask('255.255.255.000')).toBeNull()
    expect(netmaskFromPrefix(20)).toBe('255.255.240.0')
  })
})

describe('cidr', () => {
  it('clears host bits and formats', () => {
    expect(formatCidr(parseCidr('192.168.122.1/24')!)).toBe('192.168.122.0/24')
    expect(formatCidr(parseCidr('fd12:3456:789a:1::1/64')!)).toBe('fd12:3456:789a:1::/64')
    expect(parseCidr('10.0.0.0/33')).toBeNull()
    expect(parseCidr('10.0.0.0/08')).toBeNull()
  })
  it('computes overlap both ways and by family', () => {
    const a = parseCidr('192.168.122.0/24')!
    const b = parseCidr('192.168.0.0/16')!
    expect(cidrsOverlap(a, b)).toBe(true)
    expect(cidrsOverlap(b, a)).toBe(true)
    expect(cidrsOverlap(a, parseCidr('192.168.123.0/24')!)).toBe(false)
    expect(cidrsOverlap(a, parseCidr('::/0')!)).toBe(false)
    expect(cidrContainsCidr(b, a)).toBe(true)
    expect(cidrContainsCidr(a, b)).toBe(false)
    expect(cidrContainsIp(a, parseIp('192.168.122.254')!)).toBe(true)
    expect(formatIp(lastIp(a))).toBe('192.168.122.255')
  })
})
