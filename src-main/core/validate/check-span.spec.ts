import { describe, expect, it } from 'vitest'

import type { HostFacts } from '../model/host-facts'
import type { NetworkDef } from '../model/network'
import type { Span } from '../model/span'
import { validDef } from '../../../test/unit-support/valid-network.fixture'
import { validateNetwork } from './validate-network'

const SPAN: Span = {
  vni: 4242,
  underlay: '198.51.100.1',
  slice: { part: 1, of: 3 },
  peers: [{ address: '198.51.100.2' }, { address: '198.51.100.3' }]
}

/** The fixture as one host of a three-host span: IPv4 only, MTU within the VXLAN's. */
function spanning(span: Partial<Span> = {}, change: (d: NetworkDef) => void = () => {}): NetworkDef {
  const def = validDef()
  def.ips = def.ips.filter((ip) => ip.family === 'ipv4')
  def.mtu = 1450
  def.guestnet = { span: { ...SPAN, ...span } }
  change(def)
  return def
}

const facts: HostFacts = {
  addresses: [{ ifname: 'eth1', family: 4, address: '198.51.100.1', prefix: 24 }],
  routes: [],
  links: [{ ifname: 'eth1', mtu: 1500 }]
}

const fields = (def: NetworkDef, ctx = {}): string[] => validateNetwork(def, ctx).map((p) => `${p.field}: ${p.message}`)

describe('<gn:span> in validateNetwork', () => {
  it('accepts a host of a three-host span, with and without host facts', () => {
    expect(fields(spanning())).toEqual([])
    expect(fields(spanning(), { hostFacts: facts })).toEqual([])
  })

  it.each<[string, Partial<Span>, string, RegExp, ((d: NetworkDef) => void)?]>([
    ['VNI 0', { vni: 0 }, 'metadata.span.vni', /out of range/],
    ['VNI 2^24', { vni: 16_777_216 }, 'metadata.span.vni', /out of range/],
    ['port 0', { port: 0 }, 'metadata.span.port', /out of range/],
    ['port 65536', { port: 65536 }, 'metadata.span.port', /out of range/],
    ['an IPv6 underlay', { underlay: '2001:db8::1' }, 'metadata.span.underlay', /not an IPv4/],
    ['an underlay in the network', { underlay: '192.168.123.7' }, 'metadata.span.underlay', /inside the network/],
    [
      'a peer twice',
      { peers: [{ address: '198.51.100.2' }, { address: '198.51.100.2' }] },
      'metadata.span.peer[1].address',
      /twice/
    ],
    ['the underlay as peer', { peers: [{ address: '198.51.100.1' }] }, 'metadata.span.peer[0].address', /own underlay/],
    ['a peer that is no address', { peers: [{ address: 'hostb' }] }, 'metadata.span.peer[0].address', /not an IPv4/],
    ['no slice with peers', { slice: undefined }, 'metadata.span.slice', /same addresses/],
    ['slice 4/3', { slice: { part: 4, of: 3 } }, 'metadata.span.slice', /no such part/],
    ['fewer parts than hosts', { slice: { part: 1, of: 2 } }, 'metadata.span.slice', /3 hosts/],
    ['no bridge MAC', {}, 'mac.address', /fixed bridge MAC/, (d) => delete d.mac],
    ['an isolated network', {}, 'metadata.span', /forward mode 'none'/, (d) => (d.forward = { mode: 'none' })],
    ['an MTU above the VXLAN', {}, 'mtu.size', /1450/, (d) => (d.mtu = 1500)],
    [
      'a range too small to split',
      {},
      'ip[0].dhcp.range[0]',
      /fewer than 3/,
      (d) => {
        const dhcp = d.ips[0].dhcp
        if (dhcp) dhcp.ranges = [{ start: '192.168.123.100', end: '192.168.123.101' }]
      }
    ]
  ])('refuses %s', (_what, span, field, message, change) => {
    const problems = validateNetwork(spanning(span, change))
    expect(problems.find((p) => p.field === field)?.message).toMatch(message)
    expect(problems.find((p) => p.field === field)?.fix).toBeTruthy()
  })

  it('refuses an IPv6 <ip> (not yet)', () => {
    const def = spanning({}, (d) => d.ips.push({ family: 'ipv6', address: 'fd00:1::1', prefix: 64 }))
    expect(fields(def).join('\n')).toMatch(/ip\[1\]: IPv6 on a network that spans hosts/)
  })

  it("refuses an underlay that is not the host's, once the host facts are known", () => {
    const def = spanning({ underlay: '198.51.100.9', peers: [{ address: '198.51.100.2' }] })
    expect(fields(def)).toEqual([])
    expect(fields(def, { hostFacts: facts })).toEqual([
      'metadata.span.underlay: 198.51.100.9 is not an address of this host'
    ])
  })

  it('follows the underlay MTU: 1420 of WireGuard carries 1370', () => {
    const wg: HostFacts = { ...facts, links: [{ ifname: 'eth1', mtu: 1420 }] }
    expect(fields(spanning(), { hostFacts: wg })).toEqual([
      'mtu.size: MTU 1450 does not fit the VXLAN: the underlay carries 1370 bytes of guest frame'
    ])
  })

  it('refuses a VNI another network spans with already', () => {
    const other = { ...spanning(), name: 'other', uuid: undefined, bridge: { name: 'virbr7' }, ips: [] }
    expect(fields(spanning(), { others: [other] })).toEqual([
      'metadata.span.vni: VNI 4242 is used already by network other'
    ])
  })

  it('a span of one host needs no slice', () => {
    expect(fields(spanning({ slice: undefined, peers: [] }))).toEqual([])
  })

  it('refuses a malformed span from an unprivileged caller by its shape', () => {
    const def = { ...spanning(), guestnet: { span: { vni: '4242', underlay: '198.51.100.1', peers: [{ addr: 'x' }] } } }
    expect(fields(def as unknown as NetworkDef).join('\n')).toMatch(/metadata\.span\.vni: expected a whole number/)
  })
})
