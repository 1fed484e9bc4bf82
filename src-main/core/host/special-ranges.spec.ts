import { describe, expect, it } from 'vitest'

import type { Cidr } from '../net/cidr'
import { parseCidr } from '../net/cidr'
import { isDefaultLike, specialRangeOf } from './special-ranges'

const cidr = (text: string): Cidr => parseCidr(text) as Cidr

describe('special ranges', () => {
  it('takes default routes and VPN split defaults for default routes', () => {
    for (const s of [
      '0.0.0.0/0',
      '0.0.0.0/1',
      '128.0.0.0/1',
      '::/0',
      '::/1',
      '8000::/1',
      '::/3',
      '2000::/3',
      '2000::/4',
      '3000::/4',
      'fc00::/7'
    ]) {
      expect(isDefaultLike(cidr(s)), s).toBe(true)
    }
    for (const s of ['0.0.0.0/2', '10.0.0.0/8', '2000::/5', 'fd00::/8', 'fc00::/8', '2001:db8::/32']) {
      expect(isDefaultLike(cidr(s)), s).toBe(false)
    }
  })

  it('knows loopback, link-local and multicast of both families', () => {
    expect(specialRangeOf(cidr('127.0.0.1/32'))?.what).toBe('loopback')
    expect(specialRangeOf(cidr('169.254.0.0/16'))?.what).toBe('link-local')
    expect(specialRangeOf(cidr('fe80::/64'))?.what).toBe('link-local')
    expect(specialRangeOf(cidr('ff02::1/128'))?.what).toBe('multicast')
    expect(specialRangeOf(cidr('239.255.255.250/32'))?.what).toBe('multicast')
    expect(specialRangeOf(cidr('192.168.122.0/24'))).toBeUndefined()
    // Only a block that lies wholly inside a special range is special.
    expect(specialRangeOf(cidr('160.0.0.0/3'))).toBeUndefined()
  })
})
