import { describe, expect, it } from 'vitest'

import type { HostFacts } from '../core/model/host-facts'
import {
  describeHostNetworks,
  diffHostNetworks,
  uplinkMtuChanged,
  uplinkPrefixMayHaveChanged,
  uplinksOf
} from './host-changes'

const home: HostFacts = {
  addresses: [
    { ifname: 'lo', family: 4, address: '127.0.0.1', prefix: 8 },
    { ifname: 'wlan0', family: 4, address: '192.168.1.23', prefix: 24 },
    { ifname: 'wlan0', family: 6, address: 'fe80::1', prefix: 64 },
    { ifname: 'virbr0', family: 4, address: '192.168.122.1', prefix: 24 }
  ],
  routes: [
    { family: 4, dst: '0.0.0.0/0', gateway: '192.168.1.1', dev: 'wlan0', table: 'main' },
    { family: 4, dst: '192.168.1.0/24', dev: 'wlan0', table: 'main', protocol: 'kernel' },
    { family: 4, dst: '192.168.122.0/24', dev: 'virbr0', table: 'main', protocol: 'kernel' }
  ]
}

const vpn: HostFacts = {
  addresses: [...home.addresses, { ifname: 'wg0', family: 4, address: '10.64.0.2', prefix: 32 }],
  routes: [
    ...home.routes,
    { family: 4, dst: '0.0.0.0/0', dev: 'wg0', table: '51820' },
    { family: 4, dst: '192.168.0.0/16', dev: 'wg0', table: '51820' }
  ]
}

describe('describeHostNetworks', () => {
  it('names addresses, routes and default routes, without our bridges, loopback or link-local', () => {
    expect(describeHostNetworks(home, ['virbr0'])).toEqual([
      'address 192.168.1.23/24 on wlan0',
      'default via 192.168.1.1 on wlan0 (table main)'
    ])
  })

  it('reports a VPN coming up as added lines, and its going away as removed ones', () => {
    const before = describeHostNetworks(home, ['virbr0'])
    const after = describeHostNetworks(vpn, ['virbr0'])
    const diff = diffHostNetworks(before, after)
    expect(diff).toEqual({
      added: [
        'address 10.64.0.2/32 on wg0',
        'default on wg0 (table 51820)',
        'route 192.168.0.0/16 on wg0 (table 51820)'
      ],
      removed: []
    })
    expect(diffHostNetworks(after, before)).toEqual({ added: [], removed: diff.added })
    expect(uplinksOf(after)).toEqual(['default on wg0 (table 51820)', 'default via 192.168.1.1 on wlan0 (table main)'])
  })

  it('sees our own bridge when it is not ours (not ignored)', () => {
    expect(describeHostNetworks(home)).toContain('address 192.168.122.1/24 on virbr0')
  })

  it("names the uplink's path MTU, so a tunnel coming up or an MTU change is a change", () => {
    const withMtu = (f: HostFacts, links: Record<string, number>): HostFacts => ({
      ...f,
      links: Object.entries(links).map(([ifname, mtu]) => ({ ifname, mtu }))
    })
    const wifi = describeHostNetworks(withMtu(home, { wlan0: 1500 }), ['virbr0'])
    expect(wifi).toContain('uplink mtu 1500 on wlan0 (table main)')
    const tunnel = describeHostNetworks(withMtu(vpn, { wlan0: 1500, wg0: 1420 }), ['virbr0'])
    expect(tunnel).toContain('uplink mtu 1420 on wg0 (table 51820)')
    expect(uplinkMtuChanged(diffHostNetworks(wifi, tunnel))).toBe(true)
    const smaller = describeHostNetworks(withMtu(vpn, { wlan0: 1500, wg0: 1380 }), ['virbr0'])
    expect(diffHostNetworks(tunnel, smaller)).toEqual({
      added: ['uplink mtu 1380 on wg0 (table 51820)'],
      removed: ['uplink mtu 1420 on wg0 (table 51820)']
    })
    expect(uplinkMtuChanged(diffHostNetworks(wifi, wifi))).toBe(false)
    expect(uplinkMtuChanged({ added: ['address 10.0.0.2/24 on eth0'], removed: [] })).toBe(false)
  })

  it('tells when an ipv6=lan network may have to follow the uplink: a default route or an IPv6 address changed', () => {
    expect(uplinkPrefixMayHaveChanged({ added: ['address 2001:db8:bb::5/64 on wlan0'], removed: [] })).toBe(true)
    expect(uplinkPrefixMayHaveChanged({ added: [], removed: ['default via fe80::1 on wlan0 (table main)'] })).toBe(true)
    expect(uplinkPrefixMayHaveChanged({ added: ['address 10.0.0.2/24 on eth0'], removed: [] })).toBe(false)
    expect(uplinkPrefixMayHaveChanged({ added: ['route 10.0.0.0/8 on wg0 (table 51820)'], removed: [] })).toBe(false)
  })
})
