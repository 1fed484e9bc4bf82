import { describe, expect, it } from 'vitest'

import type { Cidr } from '../net/cidr'
import { parseCidr } from '../net/cidr'
import { ptrDomain } from './ptr-domain'

const cidr = (text: string): Cidr => {
  const c = parseCidr(text)
  if (!c) throw new Error(text)
  return c
}

describe('ptrDomain', () => {
  it('IPv4 on octet boundaries', () => {
    expect(ptrDomain(cidr('192.168.122.0/24'))).toBe('122.168.192.in-addr.arpa')
    expect(ptrDomain(cidr('10.0.0.0/8'))).toBe('10.in-addr.arpa')
  })

  it('IPv6 on nibble boundaries', () => {
    expect(ptrDomain(cidr('2001:db8:ac10:fd01::/64'))).toBe('1.0.d.f.0.1.c.a.8.b.d.0.1.0.0.2.ip6.arpa')
    expect(ptrDomain(cidr('fd00::/12'))).toBe('0.d.f.ip6.arpa')
  })

  it('null off a boundary, for /0 and for host routes', () => {
    expect(ptrDomain(cidr('192.168.122.0/25'))).toBeNull()
    expect(ptrDomain(cidr('2001:db8::/62'))).toBeNull()
    expect(ptrDomain(cidr('0.0.0.0/0'))).toBeNull()
    expect(ptrDomain(cidr('10.0.0.1/32'))).toBeNull()
  })
})
