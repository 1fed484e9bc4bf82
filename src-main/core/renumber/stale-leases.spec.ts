import { describe, expect, it } from 'vitest'

import type { Cidr } from '../net/cidr'
import { parseCidr } from '../net/cidr'
import type { LeaseLike } from './stale-leases'
import { describeLease, staleLeases } from './stale-leases'

const cidr = (text: string): Cidr => parseCidr(text) as Cidr

describe('staleLeases', () => {
  const leases: LeaseLike[] = [
    { ip: '192.168.122.50', mac: '52:54:00:00:00:01', hostname: 'alpha', expiry: 2000 },
    { ip: '10.122.0.51', mac: '52:54:00:00:00:02', hostname: 'bravo', expiry: 2000 },
    { ip: '192.168.122.52', mac: '52:54:00:00:00:03', hostname: null, expiry: 500 },
    { ip: '192.168.122.53', mac: '52:54:00:00:00:04', hostname: null, expiry: null },
    { ip: 'fd00::5', mac: null, hostname: 'six', expiry: 2000 }
  ]

  it('lists unexpired leases outside the current subnets, of a family the network has', () => {
    const got = staleLeases(leases, [cidr('10.122.0.0/24')], 1000)
    expect(got.map((l) => l.ip)).toEqual(['192.168.122.50', '192.168.122.53'])
    expect(got.map(describeLease)).toEqual(['alpha (192.168.122.50)', '52:54:00:00:00:04 (192.168.122.53)'])
  })

  it('finds none when every lease is in range', () => {
    expect(staleLeases(leases, [cidr('192.168.122.0/24'), cidr('10.122.0.0/24'), cidr('fd00::/64')], 1000)).toEqual([])
  })
})
