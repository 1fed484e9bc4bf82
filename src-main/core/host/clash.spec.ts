import { describe, expect, it } from 'vitest'

import { hostFacts } from '../../../test/fixtures/host-facts/fixtures'
import type { HostFacts, HostRoute } from '../model/host-facts'
import type { Cidr } from '../net/cidr'
import { parseCidr } from '../net/cidr'
import { findClashes, prepareHostFacts } from './clash'

const cidr = (text: string): Cidr => parseCidr(text) as Cidr
const messages = (subnet: string, facts: HostFacts, ignoreDevs?: string[]): string[] =>
  findClashes(cidr(subnet), facts, { ignoreDevs }).map((c) => c.message)

describe('findClashes', () => {
  it('words a policy-table route as ip prints the table', () => {
    const facts: HostFacts = {
      addresses: [],
      routes: [{ family: 4, dst: '192.168.0.0/16', dev: 'wlan0', table: '51820' }]
    }
    expect(findClashes(cidr('192.168.122.0/24'), facts)).toEqual([
      {
        subnet: '192.168.122.0/24',
        other: '192.168.0.0/16',
        dev: 'wlan0',
        table: '51820',
        kind: 'route',
        message: '192.168.122.0/24 overlaps 192.168.0.0/16 on wlan0 (table 51820)'
      }
    ])
  })

  it('finds the WireGuard home-LAN route in table 51820 but not its default routes', () => {
    const facts = hostFacts('wireguard-vpn')
    expect(messages('192.168.122.0/24', facts)).toEqual([
      '192.168.122.0/24 overlaps 192.168.0.0/16 on wg0 (table 51820)'
    ])
    expect(messages('10.122.0.0/24', facts)).toEqual([])
    expect(messages('10.64.0.0/24', facts)).toEqual([
      '10.64.0.0/24 overlaps 10.64.0.2/32 on wg0 (address 10.64.0.2/32)'
    ])
  })

  it('reports an address once, not again for its kernel prefix route', () => {
    expect(findClashes(cidr('192.168.1.0/24'), hostFacts('laptop-wifi'))).toEqual([
      {
        subnet: '192.168.1.0/24',
        other: '192.168.1.0/24',
        dev: 'wlan0',
        table: 'local',
        kind: 'address',
        message: '192.168.1.0/24 overlaps 192.168.1.0/24 on wlan0 (address 192.168.1.23/24)'
      }
    ])
    // Overlap, not equality: a wider and a narrower subnet both clash.
    expect(messages('192.168.0.0/16', hostFacts('laptop-wifi'))).toHaveLength(1)
    expect(messages('192.168.1.128/25', hostFacts('laptop-wifi'))).toHaveLength(1)
    expect(messages('2001:db8:1:2::/64', hostFacts('laptop-wifi'))).toEqual([
      '2001:db8:1:2::/64 overlaps 2001:db8:1:2::/64 on wlan0 (address 2001:db8:1:2:3c4d:5e6f:7a8b:9c0d/64)'
    ])
  })

  it("treats OpenVPN's def1 split (IPv4 and IPv6) as a default route", () => {
    const facts = hostFacts('openvpn-def1')
    expect(messages('192.168.122.0/24', facts)).toEqual([])
    expect(messages('10.122.0.0/24', facts)).toEqual([])
    expect(messages('fd42:9a0c:1b7e:1::/64', facts)).toEqual([])
    expect(messages('2001:db8:99::/64', facts)).toEqual([])
    expect(messages('10.8.0.0/16', facts)).toEqual(['10.8.0.0/16 overlaps 10.8.0.0/24 on tun0 (address 10.8.0.6/24)'])
    expect(messages('203.0.113.0/24', facts)).toEqual(['203.0.113.0/24 overlaps 203.0.113.10/32 on wlan0 (table main)'])
    expect(messages('fddd:1194:1194:1194::/64', facts)).toHaveLength(1)
  })

  it("finds Docker's bridges even with no containers (linkdown)", () => {
    const facts = hostFacts('docker')
    expect(messages('172.17.5.0/24', facts)).toEqual([
      '172.17.5.0/24 overlaps 172.17.0.0/16 on docker0 (address 172.17.0.1/16)'
    ])
    expect(findClashes(cidr('172.16.0.0/12'), facts).map((c) => c.dev)).toEqual(['docker0', 'br-3f2a1b9c8d7e'])
    expect(messages('192.168.122.0/24', facts)).toEqual([])
  })

  it('finds the hotel network on 192.168.122.0/24', () => {
    expect(messages('192.168.122.0/24', hostFacts('hotel'))).toEqual([
      '192.168.122.0/24 overlaps 192.168.122.0/24 on wlan0 (address 192.168.122.57/24)'
    ])
  })

  it('finds corporate, multipath and blackhole routes', () => {
    const facts = hostFacts('corporate')
    expect(messages('10.122.0.0/24', facts)).toEqual(['10.122.0.0/24 overlaps 10.0.0.0/8 on eth0 (table main)'])
    expect(messages('172.20.0.0/24', facts)).toEqual(['172.20.0.0/24 overlaps 172.16.0.0/12 on eth0 (table main)'])
    expect(messages('198.51.100.0/25', facts)).toEqual([
      '198.51.100.0/25 overlaps 198.51.100.0/24 (blackhole route, table main)'
    ])
    expect(messages('2001:db8:c0:1::/64', facts)).toEqual([
      '2001:db8:c0:1::/64 overlaps 2001:db8:c0::/48 on eth0 (table main)'
    ])
  })

  it('leaves our own bridges out with ignoreDevs', () => {
    const facts = hostFacts('guestnet-running')
    expect(messages('192.168.122.0/24', facts)).toEqual([
      '192.168.122.0/24 overlaps 192.168.122.0/24 on virbr0 (address 192.168.122.1/24)'
    ])
    expect(messages('192.168.122.0/24', facts, ['virbr0'])).toEqual([])
    expect(messages('192.168.123.0/24', facts, ['virbr0'])).toHaveLength(1)
  })

  it('skips link-local, loopback, multicast, throw routes and the other family', () => {
    const facts: HostFacts = {
      addresses: [
        { ifname: 'eth0', family: 4, address: '169.254.7.7', prefix: 16 },
        { ifname: 'lo', family: 6, address: '::1', prefix: 128 }
      ],
      routes: [
        { family: 4, dst: '169.254.0.0/16', dev: 'eth0', table: 'main' },
        { family: 4, dst: '224.0.0.0/4', dev: 'eth0', table: 'main' },
        { family: 4, dst: '127.0.0.0/8', dev: 'lo', table: 'local', type: 'local' },
        { family: 4, dst: '10.0.0.0/8', table: 'vpn', type: 'throw' },
        { family: 4, dst: '10.0.0.0/8', table: 'main', type: 'something-new' },
        { family: 6, dst: 'fe80::/64', dev: 'eth0', table: 'main' },
        { family: 6, dst: 'ff00::/8', dev: 'eth0', table: 'local' },
        { family: 6, dst: '10.0.0.0/8', table: 'main' }
      ]
    }
    for (const s of [
      '169.254.0.0/16',
      '224.0.0.0/24',
      '127.0.0.0/24',
      '10.1.0.0/24',
      'fe80::/64',
      'ff02::/16',
      '::1/128'
    ]) {
      expect(messages(s, facts)).toEqual([])
    }
  })

  it('finds the one overlapping route among 10,000 (speed lives in npm run bench)', () => {
    const routes: HostRoute[] = []
    for (let i = 0; i < 10_000; i++) {
      routes.push({
        family: 4,
        dst: `10.${(i >> 8) & 255}.${i & 255}.0/24`,
        dev: `tun${i % 50}`,
        table: String(1000 + (i % 7))
      })
    }
    const facts: HostFacts = { addresses: [], routes }
    prepareHostFacts(facts)
    const subnet = cidr('10.20.30.0/24')
    const clashes = findClashes(subnet, facts)
    expect(clashes.map((c) => c.other)).toEqual(['10.20.30.0/24'])
    expect(clashes[0]).toMatchObject({ dev: 'tun0', table: '1005' })
  })
})
