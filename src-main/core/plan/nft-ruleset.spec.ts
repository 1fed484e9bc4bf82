import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../model/network'
import { analyseNetwork } from './network-shape'
import { nftChains, renderNftRuleset } from './nft-ruleset'
import { defaultNet, ULA, v4, v6 } from '../../../test/unit-support/plan-defs.fixture'

const MARK = 'guestnet:system:default'

/** Rules of one chain, comments and the base-chain header left out. */
function rules(def: NetworkDef, chain: string): string[] {
  const found = nftChains(analyseNetwork(def)).find((c) => c.name === chain)
  return found ? found.lines.filter((l) => !l.startsWith('#')) : []
}

const dual = (over: Partial<NetworkDef> = {}): NetworkDef =>
  defaultNet({ ips: [...defaultNet().ips, v6(ULA, 64)], ...over })

describe('renderNftRuleset', () => {
  it('creates its own table with the owner mark, refused as a whole when a table of that name exists', () => {
    const text = renderNftRuleset(analyseNetwork(defaultNet()), MARK)
    const statements = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))
    expect(statements.slice(0, 2)).toEqual([
      `create table inet guestnet_default { comment "${MARK}"; }`,
      'table inet guestnet_default {'
    ])
    expect(text).not.toContain('delete table')
    expect(text).toContain('\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n')
    expect(text.endsWith('}\n')).toBe(true)
  })

  it('NAT: masquerade with libvirt exemptions and port ranges, in libvirt order', () => {
    expect(rules(defaultNet(), 'postrouting')).toEqual([
      'ip saddr 192.168.122.0/24 ip daddr 224.0.0.0/24 return',
      'ip saddr 192.168.122.0/24 ip daddr 255.255.255.255 return',
      'meta l4proto tcp ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 masquerade to :1024-65535',
      'meta l4proto udp ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 masquerade to :1024-65535',
      'ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 masquerade'
    ])
  })

  it('NAT: only replies come back in; other guestnet bridges refused both ways', () => {
    expect(rules(defaultNet(), 'from_guests')).toEqual([
      'oifname "virbr0" accept',
      'oifgroup 26478 reject',
      'ip saddr 192.168.122.0/24 accept',
      'reject'
    ])
    expect(rules(defaultNet(), 'to_guests')).toEqual([
      'iifgroup 26478 reject',
      'ip daddr 192.168.122.0/24 ct state established,related accept',
      'reject'
    ])
  })

  it('NAT dual stack: IPv6 routed out, stateful in (libvirt lets new inbound through), not masqueraded', () => {
    expect(rules(dual(), 'from_guests')).toContain('ip6 saddr fd12:3456:789a:1::/64 accept')
    expect(rules(dual(), 'to_guests')).toContain('ip6 daddr fd12:3456:789a:1::/64 ct state established,related accept')
    expect(rules(dual(), 'to_guests').some((r) => r.startsWith('ip6 daddr') && !r.includes('ct state'))).toBe(false)
    expect(rules(dual(), 'postrouting').some((r) => r.includes('ip6'))).toBe(false)
  })

  it('NAT66 with <nat ipv6="yes">: the IPv6 prefix is masqueraded too, ff02::/16 exempt', () => {
    const r = rules(dual({ forward: { mode: 'nat', nat: { ipv6: true } } }), 'postrouting')
    expect(r.slice(5)).toEqual([
      'ip6 saddr fd12:3456:789a:1::/64 ip6 daddr ff02::/16 return',
      'meta l4proto tcp ip6 saddr fd12:3456:789a:1::/64 ip6 daddr != fd12:3456:789a:1::/64 masquerade to :1024-65535',
      'meta l4proto udp ip6 saddr fd12:3456:789a:1::/64 ip6 daddr != fd12:3456:789a:1::/64 masquerade to :1024-65535',
      'ip6 saddr fd12:3456:789a:1::/64 ip6 daddr != fd12:3456:789a:1::/64 masquerade'
    ])
  })

  it('<nat><port> sets the tcp/udp range; <nat><address> turns masquerade into snat (IPv4 only)', () => {
    const ports = rules(defaultNet({ forward: { mode: 'nat', nat: { portStart: 500, portEnd: 1000 } } }), 'postrouting')
    expect(ports[2]).toMatch(/masquerade to :500-1000$/)
    const addr = rules(
      dual({ forward: { mode: 'nat', nat: { addressStart: '203.0.113.10', addressEnd: '203.0.113.20', ipv6: true } } }),
      'postrouting'
    )
    expect(addr[2]).toMatch(/ snat ip to 203\.0\.113\.10-203\.0\.113\.20:1024-65535$/)
    expect(addr[4]).toMatch(/ snat ip to 203\.0\.113\.10-203\.0\.113\.20$/)
    expect(addr.filter((r) => r.startsWith('ip6') || r.includes(' ip6 ')).every((r) => !r.includes('snat'))).toBe(true)
    const one = rules(
      defaultNet({ forward: { mode: 'nat', nat: { addressStart: '203.0.113.10', addressEnd: '203.0.113.10' } } }),
      'postrouting'
    )
    expect(one[4]).toMatch(/ snat ip to 203\.0\.113\.10$/)
  })

  it('forward dev pins the uplink on every forwarding and NAT rule', () => {
    const def = dual({ forward: { mode: 'nat', dev: 'enp0s7' } })
    expect(rules(def, 'from_guests')).toContain('ip saddr 192.168.122.0/24 oifname "enp0s7" accept')
    expect(rules(def, 'to_guests')).toContain(
      'iifname "enp0s7" ip daddr 192.168.122.0/24 ct state established,related accept'
    )
    expect(rules(def, 'postrouting').every((r) => r.includes('oifname "enp0s7"'))).toBe(true)
  })

  it('route: both directions without NAT or conntrack, and other routed networks may be reached', () => {
    const def = dual({ forward: { mode: 'route' } })
    expect(rules(def, 'from_guests')).toEqual([
      'oifname "virbr0" accept',
      'ip saddr 192.168.122.0/24 accept',
      'ip6 saddr fd12:3456:789a:1::/64 accept',
      'reject'
    ])
    expect(rules(def, 'to_guests')).toEqual([
      'ip daddr 192.168.122.0/24 accept',
      'ip6 daddr fd12:3456:789a:1::/64 accept',
      'reject'
    ])
    expect(nftChains(analyseNetwork(def)).map((c) => c.name)).not.toContain('postrouting')
  })

  it('isolated: guests talk to each other and to the host, nothing is forwarded', () => {
    const def = dual({ forward: { mode: 'none' } })
    expect(rules(def, 'from_guests')).toEqual(['oifname "virbr0" accept', 'reject'])
    expect(rules(def, 'to_guests')).toEqual(['reject'])
  })

  it('input: accepts exactly what dnsmasq serves', () => {
    expect(rules(dual(), 'input')).toEqual([
      'iifname "virbr0" udp dport 67 accept',
      'iifname "virbr0" meta l4proto { tcp, udp } th dport 53 accept',
      'iifname "virbr0" icmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert } accept'
    ])
    const dhcp6 = defaultNet({
      ips: [v6('2001:db8::1', 64, { ranges: [{ start: '2001:db8::10', end: '2001:db8::ff' }] })]
    })
    expect(rules(dhcp6, 'input')).toContain('iifname "virbr0" udp dport 547 accept')
    const noDns = defaultNet({
      ips: [v4('10.0.0.1', 24)],
      dns: { enable: false, forwarders: [], hosts: [], srvs: [], txts: [] }
    })
    expect(rules(noDns, 'input')).toEqual([])
  })

  it('a network with several IPv4 subnets gets rules for each', () => {
    const def = defaultNet({ ips: [...defaultNet().ips, v4('192.168.128.1', 24)] })
    expect(rules(def, 'postrouting')).toHaveLength(10)
    expect(rules(def, 'from_guests')).toContain('ip saddr 192.168.128.0/24 accept')
  })
})

describe("features' additions (nft-extras.ts)", () => {
  const feature = () => ({
    input: ['tcp dport 4789 accept'],
    forward: ['tcp flags syn tcp option maxseg size set rt mtu'],
    fromGuests: ['ip daddr 198.51.100.7 accept'],
    toGuests: ['ct status dnat accept'],
    postrouting: ['ct status dnat masquerade'],
    chains: [{ name: 'prerouting', base: 'type nat hook prerouting priority dstnat; policy accept;', lines: ['x'] }]
  })

  it('go where each says, inside the one table, and around the base rules', () => {
    const chains = nftChains(analyseNetwork(defaultNet()), {}, [feature])
    const of = (name: string): string[] => chains.find((c) => c.name === name)?.lines ?? []
    expect(of('input').at(-1)).toBe('tcp dport 4789 accept')
    expect(of('forward')[0]).toMatch(/maxseg/)
    expect(of('from_guests').slice(-2)).toEqual(['ip daddr 198.51.100.7 accept', 'reject'])
    const to = of('to_guests')
    expect(to.indexOf('ct status dnat accept')).toBe(to.findIndex((l) => l.startsWith('iifgroup')) + 1)
    expect(of('postrouting')[0]).toBe('ct status dnat masquerade')
    expect(chains.at(-1)?.name).toBe('prerouting')
  })

  it('make a postrouting chain on a network without NAT of its own, and none when no one adds to it', () => {
    const routed = analyseNetwork(defaultNet({ forward: { mode: 'route' } }))
    expect(nftChains(routed, {}, []).some((c) => c.name === 'postrouting')).toBe(false)
    expect(nftChains(routed, {}, [feature]).find((c) => c.name === 'postrouting')?.lines).toEqual([
      'ct status dnat masquerade'
    ])
  })
})
