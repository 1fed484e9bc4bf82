import { describe, expect, it } from 'vitest'

import type { Cidr } from '../net/cidr'
import { parseCidr } from '../net/cidr'
import { ipv4PlanFor } from './ipv4-plan'

const cidr = (text: string): Cidr => parseCidr(text) as Cidr

describe('ipv4PlanFor', () => {
  it('puts the gateway on .1 and DHCP on .2–.254 of a /24', () => {
    expect(ipv4PlanFor(cidr('192.168.122.0/24'))).toEqual({
      subnet: '192.168.122.0/24',
      gateway: '192.168.122.1',
      prefix: 24,
      netmask: '255.255.255.0',
      dhcpStart: '192.168.122.2',
      dhcpEnd: '192.168.122.254'
    })
  })
  it('handles other prefixes from first+1 to last-1', () => {
    expect(ipv4PlanFor(cidr('10.8.0.0/20'))).toMatchObject({
      gateway: '10.8.0.1',
      dhcpStart: '10.8.0.2',
      dhcpEnd: '10.8.15.254',
      netmask: '255.255.240.0'
    })
    expect(ipv4PlanFor(cidr('10.0.0.4/30'))).toMatchObject({
      gateway: '10.0.0.5',
      dhcpStart: '10.0.0.6',
      dhcpEnd: '10.0.0.6'
    })
  })
  it('refuses IPv6 and subnets with no room for a guest', () => {
    expect(() => ipv4PlanFor(cidr('10.0.0.0/31'))).toThrow('10.0.0.0/31 is too small')
    expect(() => ipv4PlanFor(cidr('fd00::/64'))).toThrow('not an IPv4 subnet')
  })
})
