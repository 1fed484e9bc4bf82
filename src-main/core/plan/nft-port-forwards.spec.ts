import { describe, expect, it } from 'vitest'

import type { GuestAddresses } from '../forward/resolve-forwards'
import { eui64Suffix, resolveForwards } from '../forward/resolve-forwards'
import type { NetworkDef } from '../model/network'
import type { PortForward } from '../model/port-forward'
import { analyseNetwork } from './network-shape'
import { nftChains } from './nft-ruleset'

function net(forwards: PortForward[]): NetworkDef {
  return {
    name: 'fw',
    forward: { mode: 'nat' },
    bridge: { name: 'virbr7' },
    ips: [
      { family: 'ipv4', address: '192.168.7.1', prefix: 24 },
      { family: 'ipv6', address: 'fd00:7::1', prefix: 64 }
    ],
    guestnet: { portForwards: forwards }
  }
}

const MAC = '52:54:00:12:34:56'
const seen: GuestAddresses = {
  leases4: [{ mac: '52:54:00:12:34:56', address: '192.168.7.40' }],
  neighbours6: [
    { mac: MAC, address: 'fd00:7::aaaa' },
    { mac: MAC, address: 'fd00:7::5054:ff:fe12:3456' },
    { mac: MAC, address: 'fe80::5054:ff:fe12:3456' }
  ]
}

function rules(def: NetworkDef, guests?: GuestAddresses): string {
  return nftChains(analyseNetwork(def), guests ? { guests } : {})
    .map((c) => `${c.name}: ${c.lines.join('\n')}`)
    .join('\n')
}

describe('port forward rules', () => {
  it('adds nothing to a network without forwards', () => {
    expect(rules(net([]))).not.toMatch(/dnat|port_forwards/)
  })

  it('a MAC target follows the lease (IPv4) and the EUI-64 neighbour (IPv6)', () => {
    const def = net([{ proto: 'tcp', port: 2222, to: MAC.toUpperCase(), toPort: 22, family: 'both' }])
    const text = rules(def, seen)
    expect(text).toContain('tcp dport 2222 dnat ip to 192.168.7.40:22')
    expect(text).toContain('tcp dport 2222 dnat ip6 to [fd00:7::5054:ff:fe12:3456]:22')
    expect(text).toContain('oifname "virbr7" ct status dnat accept')
    expect(text).toMatch(
      /postrouting: [^]*oifname "virbr7" ct status dnat ip saddr 192.168.7.0\/24 ip daddr 192.168.7.0\/24 masquerade/
    )
    const moved = rules(def, { ...seen, leases4: [{ mac: MAC, address: '192.168.7.41' }] })
    expect(moved).toContain('dnat ip to 192.168.7.41:22')
    expect(moved).not.toContain('192.168.7.40')
  })

  it('waits (no rule) while the guest has no known address, and says so', () => {
    const def = net([{ proto: 'tcp', port: 2222, to: MAC }])
    expect(rules(def)).not.toMatch(/dnat/)
    expect(resolveForwards(def, { leases4: [], neighbours6: [] })[0]).toMatchObject({ state: 'waiting', ipv4: null })
  })

  it('ignores a lease outside the network and text that is not an address', () => {
    const def = net([{ proto: 'udp', port: 53000, to: MAC }])
    const hostile: GuestAddresses = {
      leases4: [
        { mac: MAC, address: '10.0.0.1' },
        { mac: MAC, address: '192.168.7.9; flush ruleset' }
      ],
      neighbours6: []
    }
    expect(rules(def, hostile)).not.toMatch(/dnat|flush/)
  })

  it('limits a forward to one host address when address= is given', () => {
    const text = rules(net([{ proto: 'udp', port: 5000, to: '192.168.7.9', address: '203.0.113.5' }]))
    expect(text).toContain('ip daddr 203.0.113.5 udp dport 5000 dnat ip to 192.168.7.9:5000')
    expect(text).not.toMatch(/fib daddr type local ip daddr != 127.0.0.0\/8 udp dport 5000/)
  })

  it('computes the modified EUI-64 of a MAC', () => {
    expect(eui64Suffix(MAC)?.toString(16)).toBe('505400fffe123456')
  })
})
