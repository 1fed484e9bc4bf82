import { describe, expect, it } from 'vitest'

import type { HostFacts } from '../model/host-facts'
import type { NetworkDef } from '../model/network'
import { formatCidr } from '../net/cidr'
import { validDef } from '../../../test/unit-support/valid-network.fixture'
import { parseRenumberTarget, suggestRenumberTarget } from './renumber-target'

const hotel: HostFacts = {
  addresses: [{ ifname: 'wlan0', family: 4, address: '192.168.123.40', prefix: 24 }],
  routes: [{ family: 4, dst: '192.168.123.0/24', dev: 'wlan0', table: 'main', protocol: 'kernel' }]
}

describe('suggestRenumberTarget', () => {
  it('skips the host, the other networks and its own subnet', () => {
    const other: NetworkDef = {
      ...validDef(),
      name: 'other',
      ips: [{ family: 'ipv4', address: '192.168.124.1', prefix: 24 }]
    }
    const got = suggestRenumberTarget(validDef(), { facts: hotel, others: [other] })
    expect(got && formatCidr(got)).toBe('192.168.125.0/24')
  })

  it('moves even without a clash (its own subnet is taken), and uses the pool', () => {
    const got = suggestRenumberTarget(validDef(), {
      facts: { addresses: [], routes: [] },
      others: [],
      pool: ['10.50.0.0/16']
    })
    expect(got && formatCidr(got)).toBe('192.168.124.0/24')
  })

  it("ignores its own bridge's address (the old range it is leaving)", () => {
    const facts: HostFacts = {
      addresses: [{ ifname: 'virbr1', family: 4, address: '192.168.124.1', prefix: 24 }],
      routes: []
    }
    const got = suggestRenumberTarget(validDef(), { facts, others: [] })
    expect(got && formatCidr(got)).toBe('192.168.124.0/24')
  })
})

describe('parseRenumberTarget', () => {
  it('takes a subnet and refuses addresses, garbage and tiny subnets', () => {
    expect(parseRenumberTarget('10.122.0.0/24')).toMatchObject({ ok: true })
    expect(parseRenumberTarget('fd00:1:2:3::/64')).toMatchObject({ ok: true })
    const msg = (t: string): string => {
      const r = parseRenumberTarget(t)
      return r.ok ? 'ok' : r.problem.message
    }
    expect(msg('10.122.0.1/24')).toMatch(/host bits set: did you mean 10.122.0.0\/24/)
    expect(msg('10.122.0.0')).toMatch(/not a subnet/)
    expect(msg('$(id)/24')).toMatch(/not a subnet/)
    expect(msg('10.122.0.0/31')).toMatch(/too small/)
    expect(msg('x'.repeat(100))).toMatch(/not a subnet/)
  })
})
