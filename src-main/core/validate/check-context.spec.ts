import { describe, expect, it } from 'vitest'

import { hostFacts } from '../../../test/fixtures/host-facts/fixtures'
import type { NetworkDef } from '../model/network'
import { validDef } from '../../../test/unit-support/valid-network.fixture'
import { validateNetwork } from './validate-network'

function defaultNet(): NetworkDef {
  return {
    name: 'default',
    uuid: '81ff0d90-c91e-6742-64da-4a736edb9a9b',
    forward: { mode: 'nat' },
    bridge: { name: 'virbr0' },
    ips: [
      {
        family: 'ipv4',
        address: '192.168.122.1',
        prefix: 24,
        dhcp: { ranges: [{ start: '192.168.122.2', end: '192.168.122.254' }], hosts: [] }
      }
    ]
  }
}

describe('validateNetwork against the other networks', () => {
  it('names the other network on a clash of name, UUID, bridge or subnet', () => {
    const mine: NetworkDef = {
      ...defaultNet(),
      name: 'lab',
      bridge: { name: 'virbr1' },
      ips: [{ family: 'ipv4', address: '192.168.122.77', prefix: 23 }]
    }
    const fix = 'pick a free range: `guestnet suggest-range --for other` prints one'
    expect(validateNetwork(mine, { others: [validDef(), defaultNet()] })).toEqual([
      { field: 'name', message: "a network named 'lab' already exists", fix: 'choose another name' },
      {
        field: 'bridge.name',
        message: "bridge 'virbr1' is already used by network 'lab'",
        fix: 'choose another bridge name, or remove name= to have a free virbrN picked'
      },
      { field: 'ip[0].address', message: "192.168.122.0/23 overlaps 192.168.123.0/24 of network 'lab'", fix },
      {
        field: 'uuid',
        message: "UUID 81ff0d90-c91e-6742-64da-4a736edb9a9b is already used by network 'default'",
        fix: 'remove <uuid> to get a new one'
      },
      { field: 'ip[0].address', message: "192.168.122.0/23 overlaps 192.168.122.0/24 of network 'default'", fix }
    ])
  })

  it('skips itself and malformed entries', () => {
    const def = validDef()
    expect(
      validateNetwork(def, {
        others: [def, validDef(), null, { name: 7 }, { name: 'x', ips: 'no' }] as unknown as NetworkDef[]
      })
    ).toEqual([])
  })

  it('finds a duplicate UUID written another way', () => {
    const other = {
      ...defaultNet(),
      name: 'other',
      bridge: { name: 'virbr9' },
      ips: [],
      uuid: '3E3FCE454F534FA7BB3211F34168B82B'
    }
    expect(validateNetwork(validDef(), { others: [other] })).toEqual([
      {
        field: 'uuid',
        message: "UUID 3e3fce45-4f53-4fa7-bb32-11f34168b82b is already used by network 'other'",
        fix: 'remove <uuid> to get a new one'
      }
    ])
  })
})

describe('validateNetwork against the host', () => {
  it('reports a clash with the hotel network on ip[0].address with the fix', () => {
    expect(validateNetwork(defaultNet(), { hostFacts: hostFacts('hotel') })).toEqual([
      {
        field: 'ip[0].address',
        message: '192.168.122.0/24 overlaps 192.168.122.0/24 on wlan0 (address 192.168.122.57/24)',
        fix: 'pick a free range: `guestnet suggest-range` prints one'
      }
    ])
  })

  it('reports a VPN policy route and an IPv6 clash', () => {
    const def = validDef()
    def.ips[1].address = 'fd7d:76ee:e68f:a993::1'
    def.ips[1].dhcp = undefined
    const problems = validateNetwork(def, { hostFacts: hostFacts('wireguard-vpn') })
    expect(problems.map((p) => [p.field, p.message])).toEqual([
      ['ip[0].address', '192.168.123.0/24 overlaps 192.168.0.0/16 on wg0 (table 51820)'],
      [
        'ip[1].address',
        'fd7d:76ee:e68f:a993::/64 overlaps fd7d:76ee:e68f:a993::2/128 on wg0 (address fd7d:76ee:e68f:a993::2/128)'
      ]
    ])
    expect(problems[1].fix).toMatch(/another \/64/)
  })

  it("does not count the network's own running bridge", () => {
    expect(validateNetwork(defaultNet(), { hostFacts: hostFacts('guestnet-running') })).toEqual([])
    expect(
      validateNetwork({ ...defaultNet(), bridge: { name: 'virbr5' } }, { hostFacts: hostFacts('guestnet-running') })
    ).toHaveLength(1)
  })
})
