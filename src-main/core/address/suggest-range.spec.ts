import { describe, expect, it } from 'vitest'

import { hostFacts } from '../../../test/fixtures/host-facts/fixtures'
import type { HostFacts, HostRoute } from '../model/host-facts'
import type { Cidr } from '../net/cidr'
import { formatCidr, parseCidr } from '../net/cidr'
import { suggestRange } from './suggest-range'

const cidr = (text: string): Cidr => parseCidr(text) as Cidr
const empty: HostFacts = { addresses: [], routes: [] }
const suggest = (...args: Parameters<typeof suggestRange>): string | null => {
  const got = suggestRange(...args)
  return got ? formatCidr(got) : null
}

describe('suggestRange', () => {
  it("gives the default network libvirt's 192.168.122.0/24 when it is free", () => {
    expect(suggest(empty, { purpose: 'default' })).toBe('192.168.122.0/24')
    expect(suggest(hostFacts('laptop-wifi'), { purpose: 'default' })).toBe('192.168.122.0/24')
    expect(suggest(hostFacts('docker'), { purpose: 'default' })).toBe('192.168.122.0/24')
    expect(suggest(hostFacts('openvpn-def1'), { purpose: 'default' })).toBe('192.168.122.0/24')
  })

  it('moves to 192.168.123.0/24 on the hotel network that took 192.168.122.0/24', () => {
    expect(suggest(hostFacts('hotel'), { purpose: 'default' })).toBe('192.168.123.0/24')
  })

  it('never offers 192.168.122.0/24 to other networks, and skips taken subnets', () => {
    expect(suggest(empty, { purpose: 'other' })).toBe('192.168.123.0/24')
    expect(suggest(empty, { purpose: 'other', taken: [cidr('192.168.123.0/24'), cidr('fd00::/64')] })).toBe(
      '192.168.124.0/24'
    )
    expect(suggest(empty, { purpose: 'other', taken: [cidr('192.168.120.0/22')] })).toBe('192.168.124.0/24')
    expect(suggest(empty, { purpose: 'default', taken: [cidr('192.168.122.0/24')] })).toBe('192.168.123.0/24')
  })

  it('falls back to the 10.x pool when a 192.168.0.0/16 route (VPN table 51820) covers every preferred range', () => {
    expect(suggest(hostFacts('wireguard-vpn'), { purpose: 'default' })).toBe('10.122.0.0/24')
    expect(suggest(hostFacts('wireguard-vpn'), { purpose: 'other', taken: [cidr('10.122.0.0/24')] })).toBe(
      '10.122.1.0/24'
    )
  })

  it('walks past the whole of 10/8 in one step and returns null when nothing is left', () => {
    const facts: HostFacts = {
      addresses: [],
      routes: [
        { family: 4, dst: '192.168.0.0/16', dev: 'tun0', table: 'main' },
        { family: 4, dst: '10.0.0.0/8', dev: 'eth0', table: 'main' }
      ]
    }
    expect(suggest(facts, { purpose: 'default' })).toBeNull()
    expect(suggest(facts, { purpose: 'default', pool: ['10.0.0.0/8', '172.16.0.0/12'] })).toBe('172.16.0.0/24')
    // With the corporate 10/8 route, the preferred 192.168 ranges are still free.
    expect(suggest(hostFacts('corporate'), { purpose: 'other' })).toBe('192.168.123.0/24')
  })

  it('uses a configured pool in the order given, cut into /24s', () => {
    const facts: HostFacts = {
      addresses: [],
      routes: [{ family: 4, dst: '192.168.0.0/16', dev: 'wg0', table: '51820' }]
    }
    expect(suggest(facts, { purpose: 'other', pool: ['172.30.0.0/23', '10.0.0.0/8'] })).toBe('172.30.0.0/24')
    expect(suggest(facts, { purpose: 'other', pool: ['172.30.0.0/23'], taken: [cidr('172.30.0.0/24')] })).toBe(
      '172.30.1.0/24'
    )
    expect(suggest(facts, { purpose: 'other', pool: ['172.30.0.0/23'], taken: [cidr('172.30.0.0/23')] })).toBeNull()
  })

  it('keeps 192.168.122.0/24 away from other networks even through a pool', () => {
    const facts: HostFacts = {
      addresses: [],
      routes: [
        { family: 4, dst: '192.168.123.0/24', dev: 'x', table: 'main' },
        { family: 4, dst: '192.168.124.0/22', dev: 'x', table: 'main' },
        { family: 4, dst: '192.168.128.0/17', dev: 'x', table: 'main' }
      ]
    }
    expect(suggest(facts, { purpose: 'other', pool: ['192.168.0.0/16'] })).toBe('192.168.0.0/24')
    expect(suggest(facts, { purpose: 'other', pool: ['192.168.122.0/23'] })).toBeNull()
  })

  it('ignores our own running bridges when asked to', () => {
    const facts = hostFacts('guestnet-running')
    expect(suggest(facts, { purpose: 'default' })).toBe('192.168.124.0/24')
    expect(suggest(facts, { purpose: 'default', ignoreDevs: ['virbr0'] })).toBe('192.168.122.0/24')
  })

  it('refuses bad pool entries by name', () => {
    expect(() => suggestRange(empty, { purpose: 'other', pool: ['10.0.0.0/25'] })).toThrow(
      "range pool entry '10.0.0.0/25' is smaller than a /24"
    )
    expect(() => suggestRange(empty, { purpose: 'other', pool: ['fd00::/8'] })).toThrow(
      'range pool entry "fd00::/8" is not an IPv4 block'
    )
    expect(() => suggestRange(empty, { purpose: 'other', pool: ['10.0.0.1'] })).toThrow('is not an IPv4 block')
  })

  it('is deterministic and fast with 10,000 small routes filling the pool start', () => {
    const routes: HostRoute[] = [{ family: 4, dst: '192.168.0.0/16', dev: 'wg0', table: '51820' }]
    for (let i = 0; i < 10_000; i++)
      routes.push({ family: 4, dst: `10.${i >> 8}.${i & 255}.0/24`, dev: 'eth0', table: 'main' })
    const facts: HostFacts = { addresses: [], routes: routes.reverse() }
    const t0 = performance.now()
    const first = suggest(facts, { purpose: 'default', pool: ['10.0.0.0/8'] })
    const elapsed = performance.now() - t0
    expect(first).toBe('10.39.16.0/24')
    expect(suggest(facts, { purpose: 'default', pool: ['10.0.0.0/8'] })).toBe(first)
    expect(
      suggest({ addresses: [], routes: [...routes].reverse() }, { purpose: 'default', pool: ['10.0.0.0/8'] })
    ).toBe(first)
    expect(elapsed).toBeLessThan(500)
    // The built-in pool tries 10.122.0.0/16 before the rest of 10/8.
    expect(suggest(facts, { purpose: 'default' })).toBe('10.122.0.0/24')
    const busy122: HostFacts = {
      addresses: [],
      routes: [...routes, { family: 4, dst: '10.122.0.0/16', dev: 'x', table: 'main' }]
    }
    expect(suggest(busy122, { purpose: 'default' })).toBe('10.39.16.0/24')
  })
})
