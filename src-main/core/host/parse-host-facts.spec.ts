import { describe, expect, it } from 'vitest'

import { HOST_FACT_SCENARIOS, hostFacts } from '../../../test/fixtures/host-facts/fixtures'
import type { RawHostFacts } from '../model/host-facts'
import { parseHostFacts } from './parse-host-facts'

describe('parseHostFacts on recorded hosts', () => {
  it.each(HOST_FACT_SCENARIOS)('%s parses with no broadcast, multicast or own-address local routes left', (name) => {
    const facts = hostFacts(name)
    expect(facts.addresses.length).toBeGreaterThan(0)
    expect(facts.routes.length).toBeGreaterThan(0)
    for (const r of facts.routes) {
      expect(['broadcast', 'multicast', 'anycast']).not.toContain(r.type)
      expect(r.dst).toMatch(/\/\d+$/)
    }
  })

  it('reads the laptop on Wi-Fi: addresses of both families, default routes, table main', () => {
    const facts = hostFacts('laptop-wifi')
    expect(facts.addresses).toContainEqual({
      ifname: 'wlan0',
      family: 4,
      address: '192.168.1.23',
      prefix: 24,
      scope: 'global',
      dynamic: true
    })
    expect(facts.addresses).toContainEqual({
      ifname: 'wlan0',
      family: 6,
      address: '2001:db8:1:2:3c4d:5e6f:7a8b:9c0d',
      prefix: 64,
      scope: 'global',
      dynamic: true
    })
    expect(facts.addresses).toContainEqual({ ifname: 'lo', family: 4, address: '127.0.0.1', prefix: 8, scope: 'host' })
    expect(facts.routes).toContainEqual({
      family: 4,
      dst: '0.0.0.0/0',
      dev: 'wlan0',
      table: 'main',
      gateway: '192.168.1.1',
      protocol: 'dhcp',
      metric: 600
    })
    expect(facts.routes).toContainEqual({
      family: 6,
      dst: '::/0',
      dev: 'wlan0',
      table: 'main',
      gateway: 'fe80::1',
      protocol: 'ra',
      metric: 600
    })
    expect(facts.routes).toContainEqual({
      family: 4,
      dst: '192.168.1.0/24',
      dev: 'wlan0',
      table: 'main',
      protocol: 'kernel'
    })
    // The local route for 192.168.1.23 only mirrors the address; 127.0.0.0/8 is a real local range.
    expect(facts.routes.some((r) => r.dst === '192.168.1.23/32')).toBe(false)
    expect(facts.routes).toContainEqual({
      family: 4,
      dst: '127.0.0.0/8',
      dev: 'lo',
      table: 'local',
      type: 'local',
      protocol: 'kernel'
    })
  })

  it('keeps VPN policy tables, host routes and multipath first hops', () => {
    const wg = hostFacts('wireguard-vpn')
    expect(wg.routes).toContainEqual({ family: 4, dst: '192.168.0.0/16', dev: 'wg0', table: '51820' })
    expect(wg.routes).toContainEqual({ family: 6, dst: '::/0', dev: 'wg0', table: '51820', metric: 1024 })
    expect(wg.routes).toContainEqual({
      family: 6,
      dst: 'fd7d:76ee:e68f:a993::2/128',
      dev: 'wg0',
      table: 'main',
      protocol: 'kernel',
      metric: 256
    })
    const corp = hostFacts('corporate')
    expect(corp.routes).toContainEqual({
      family: 4,
      dst: '172.16.0.0/12',
      dev: 'eth0',
      table: 'main',
      gateway: '10.20.30.2',
      protocol: 'static'
    })
    expect(corp.routes).toContainEqual({ family: 4, dst: '198.51.100.0/24', table: 'main', type: 'blackhole' })
  })

  it('skips junk entries instead of failing', () => {
    const raw: RawHostFacts = {
      addr: [
        null,
        42,
        { ifname: 'eth0' },
        { ifname: 'bad name', addr_info: [{ family: 'inet', local: '10.0.0.1', prefixlen: 24 }] },
        {
          ifname: 'eth1',
          addr_info: [
            { family: 'inet', local: '10.1.0.1' },
            { family: 'inet', local: '10.1.0.1', prefixlen: 33 },
            { family: 'inet6', local: '10.1.0.1', prefixlen: 24 },
            { family: 'packet', local: 'aa:bb' },
            { family: 'inet', local: '10.2.0.1', prefixlen: 16, scope: 'global' }
          ]
        }
      ],
      route4: [
        'default',
        { dst: 'default', table: 100, dev: 'eth1', protocol: 4 },
        { dst: 'nonsense', dev: 'eth1' },
        { dst: 'fd00::/8', dev: 'eth1' },
        { dst: '10.9.0.0/16', type: 'throw', table: 'vpn' },
        { dst: '224.0.0.0/4', type: 'multicast', dev: 'eth1' },
        { dst: '10.7.0.0/16', dev: 42, via: { family: 'inet6', host: 'fe80::1' } }
      ],
      route6: [{ dst: '2001:db8::/32', nexthops: [{ dev: 'eth1', gateway: '2001:db8::1' }, 'junk'] }]
    }
    expect(parseHostFacts(raw)).toEqual({
      addresses: [{ ifname: 'eth1', family: 4, address: '10.2.0.1', prefix: 16, scope: 'global' }],
      routes: [
        { family: 4, dst: '0.0.0.0/0', dev: 'eth1', table: '100', protocol: '4' },
        { family: 4, dst: '10.9.0.0/16', table: 'vpn', type: 'throw' },
        { family: 4, dst: '10.7.0.0/16', table: 'main', gateway: 'fe80::1' },
        { family: 6, dst: '2001:db8::/32', dev: 'eth1', table: 'main', gateway: '2001:db8::1' }
      ]
    })
  })

  it('refuses a wrong overall shape with the source and the key', () => {
    expect(() => parseHostFacts([] as unknown as RawHostFacts, 'facts.json')).toThrow(
      /^facts\.json: expected a JSON object .* got an array$/
    )
    expect(() => parseHostFacts(null as unknown as RawHostFacts, 'facts.json')).toThrow('got null')
    expect(() => parseHostFacts({ addr: [], route4: {}, route6: [] }, 'facts.json')).toThrow(
      `facts.json: "route4" must be the JSON array printed by 'ip -j -4 route show table all', got an object`
    )
    expect(() => parseHostFacts({ addr: [], route4: [] } as unknown as RawHostFacts)).toThrow(
      'host facts: "route6" must be'
    )
  })
})
