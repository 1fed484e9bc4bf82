import { describe, expect, it } from 'vitest'

import type { HostFacts } from '../core/model/host-facts'
import type { NetworkDef } from '../core/model/network'
import type { WatchedNetwork } from './clash-report'
import { ClashTracker, describeNetworkClash, findNetworkClashes } from './clash-report'

function net(name: string, bridge: string, address: string): NetworkDef {
  return {
    name,
    forward: { mode: 'nat' },
    bridge: { name: bridge },
    ips: [{ family: 'ipv4', address, prefix: 24, dhcp: { ranges: [], hosts: [] } }]
  }
}

const hotel: HostFacts = {
  addresses: [
    { ifname: 'wlan0', family: 4, address: '192.168.122.77', prefix: 24 },
    { ifname: 'virbr1', family: 4, address: '192.168.123.1', prefix: 24 }
  ],
  routes: [
    { family: 4, dst: '0.0.0.0/0', gateway: '192.168.122.1', dev: 'wlan0', table: 'main' },
    { family: 4, dst: '192.168.122.0/24', dev: 'wlan0', table: 'main', protocol: 'kernel' },
    { family: 4, dst: '192.168.123.0/24', dev: 'virbr1', table: 'main', protocol: 'kernel' }
  ]
}

const networks: WatchedNetwork[] = [
  { def: net('default', 'virbr0', '192.168.122.1'), active: true },
  { def: net('lab', 'virbr1', '192.168.123.1'), active: true },
  { def: net('spare', 'virbr2', '192.168.150.1'), active: false }
]

describe('findNetworkClashes', () => {
  it('names both sides and suggests a range free of the host and of the other networks', () => {
    const got = findNetworkClashes(networks, hotel)
    expect(got).toHaveLength(1)
    expect(got[0]).toMatchObject({
      network: 'default',
      active: true,
      bridge: 'virbr0',
      subnet: '192.168.122.0/24',
      suggestion: '192.168.124.0/24'
    })
    expect(got[0].clashes.map((c) => [c.other, c.dev, c.kind])).toEqual([['192.168.122.0/24', 'wlan0', 'address']])
    expect(describeNetworkClash(got[0])).toBe(
      'network default (192.168.122.0/24) overlaps 192.168.122.0/24 on wlan0 (address 192.168.122.77/24): renumber it to 192.168.124.0/24 (guestnet net-renumber default)'
    )
  })

  it("does not count a running network's own bridge, but counts a foreign bridge for an inactive one", () => {
    expect(findNetworkClashes(networks, hotel).map((c) => c.network)).not.toContain('lab')
    const inactive: WatchedNetwork[] = [{ def: net('lab', 'virbr1', '192.168.123.1'), active: false }]
    expect(findNetworkClashes(inactive, hotel).map((c) => c.network)).toEqual(['lab'])
  })

  it('uses the pool when 192.168.x is gone', () => {
    const vpn: HostFacts = { addresses: [], routes: [{ family: 4, dst: '192.168.0.0/16', dev: 'wg0', table: '51820' }] }
    const got = findNetworkClashes([networks[0]], vpn, ['10.77.0.0/16'])
    expect(got[0].suggestion).toBe('10.77.0.0/24')
  })
})

describe('ClashTracker', () => {
  it('announces a clash once, again when its other side changes, and says when it is gone', () => {
    const t = new ClashTracker()
    const first = findNetworkClashes(networks, hotel)
    expect(t.update(first).appeared.map((c) => c.network)).toEqual(['default'])
    expect(t.update(first)).toEqual({ appeared: [], resolved: [] })
    const moved: HostFacts = {
      ...hotel,
      addresses: hotel.addresses.map((a) => (a.ifname === 'wlan0' ? { ...a, ifname: 'wlan1' } : a))
    }
    expect(t.update(findNetworkClashes(networks, moved)).appeared).toHaveLength(1)
    expect(t.update([])).toEqual({ appeared: [], resolved: [{ network: 'default', subnet: '192.168.122.0/24' }] })
  })
})
