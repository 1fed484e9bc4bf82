/** libvirt 11 parity in the parser and writer: macTableManager, zone, <port isolated>, <route>, disabled DNS. */
import { describe, expect, it } from 'vitest'

import type { Problem } from '../model/problem'
import { formatNetworkXml, normalizeNetworkXml } from './format-network-xml'
import { parseNetworkXml } from './parse-network-xml'

/** A minimal NAT network with the given lines after its <bridge>; the first extra line is line 5. */
function net(bridge: string, ...body: string[]): string {
  return [
    '<network>',
    '  <name>lab</name>',
    "  <forward mode='nat'/>",
    `  ${bridge}`,
    ...body,
    "  <ip address='192.168.100.1' prefix='24'/>",
    "  <ip family='ipv6' address='fd00:1:2:3::1' prefix='64'/>",
    '</network>'
  ].join('\n')
}

function problems(text: string): Problem[] {
  const r = parseNetworkXml(text)
  if (r.ok) throw new Error('expected problems')
  return r.problems
}

function roundTrip(text: string): string {
  const r = normalizeNetworkXml(text)
  if (!r.ok) throw new Error(JSON.stringify(r.problems))
  return r.xml
}

describe('<bridge macTableManager> and zone', () => {
  it("accepts macTableManager='kernel' and writes it back after stp and delay, as libvirt does", () => {
    const r = parseNetworkXml(net("<bridge name='virbr5' macTableManager='kernel'/>"))
    expect(r.ok && r.def.bridge).toEqual({ name: 'virbr5', macTableManager: 'kernel' })
    expect(roundTrip(net("<bridge name='virbr5' macTableManager='kernel'/>"))).toContain(
      "<bridge name='virbr5' stp='on' delay='0' macTableManager='kernel'/>"
    )
  })

  it("refuses macTableManager='libvirt' by name, with the field and a fix", () => {
    expect(problems(net("<bridge name='virbr5' macTableManager='libvirt'/>"))).toEqual([
      {
        field: 'bridge.macTableManager',
        message: "unsupported: <bridge macTableManager='libvirt'>",
        fix: expect.stringMatching(/set it to 'kernel'/),
        line: 4
      }
    ])
    expect(problems(net("<bridge macTableManager='switch'/>"))[0]).toMatchObject({
      field: 'bridge.macTableManager',
      message: "'switch' is not a valid macTableManager"
    })
  })

  it('keeps zone= in the model and writes it after the name', () => {
    const text = net("<bridge name='virbr5' zone='trusted'/>")
    const r = parseNetworkXml(text)
    expect(r.ok && r.def.bridge?.zone).toBe('trusted')
    expect(roundTrip(text)).toContain("<bridge name='virbr5' zone='trusted' stp='on' delay='0'/>")
  })
})

describe('<port isolated>', () => {
  it('reads yes and no, and writes <port> after <dns> and before the first <ip>', () => {
    const yes = parseNetworkXml(net("<bridge name='virbr5'/>", "  <port isolated='yes'/>"))
    expect(yes.ok && yes.def.port).toEqual({ isolated: true })
    const no = parseNetworkXml(net("<bridge name='virbr5'/>", "  <port isolated='no'/>"))
    expect(no.ok && no.def.port).toEqual({ isolated: false })
    const out = roundTrip(net("<bridge name='virbr5'/>", "  <port isolated='yes'/>", "  <dns enable='yes'/>"))
    const lines = out.split('\n').map((l) => l.trim())
    expect(lines.indexOf("<port isolated='yes'/>")).toBe(lines.indexOf("<dns enable='yes'/>") + 1)
    expect(lines[lines.indexOf("<port isolated='yes'/>") + 1]).toMatch(/^<ip /)
  })

  it('refuses a bad value and a second <port>', () => {
    expect(problems(net('<bridge/>', "  <port isolated='maybe'/>"))[0]).toMatchObject({ field: 'port.isolated' })
    expect(problems(net('<bridge/>', "  <port isolated='yes'/>", "  <port isolated='no'/>"))[0]).toMatchObject({
      field: 'port',
      message: 'more than one <port>'
    })
  })
})

describe('<route>', () => {
  const routes = [
    "  <route address='192.168.200.0' prefix='24' gateway='192.168.100.2'/>",
    "  <route address='10.9.0.0' netmask='255.255.0.0' gateway='192.168.100.3' metric='5'/>",
    "  <route family='ipv6' address='fd00:99::' prefix='64' gateway='fd00:1:2:3::2'/>"
  ]

  it('reads IPv4 and IPv6 routes, metric and netmask spelling', () => {
    const r = parseNetworkXml(net("<bridge name='virbr5'/>", ...routes))
    expect(r.ok && r.def.routes).toEqual([
      { family: 'ipv4', address: '192.168.200.0', prefix: 24, gateway: '192.168.100.2' },
      { family: 'ipv4', address: '10.9.0.0', prefix: 16, fromNetmask: true, gateway: '192.168.100.3', metric: 5 },
      { family: 'ipv6', familyGiven: true, address: 'fd00:99::', prefix: 64, gateway: 'fd00:1:2:3::2' }
    ])
  })

  it('writes routes after the last <ip>, in libvirt attribute order, and round-trips them', () => {
    const out = roundTrip(net("<bridge name='virbr5'/>", ...routes))
    expect(out.split('\n').slice(-6, -2)).toEqual([
      "  <ip family='ipv6' address='fd00:1:2:3::1' prefix='64'/>",
      "  <route address='192.168.200.0' prefix='24' gateway='192.168.100.2'/>",
      "  <route address='10.9.0.0' netmask='255.255.0.0' gateway='192.168.100.3' metric='5'/>",
      "  <route family='ipv6' address='fd00:99::' prefix='64' gateway='fd00:1:2:3::2'/>"
    ])
    expect(roundTrip(out)).toBe(out)
    const r = parseNetworkXml(out)
    expect(r.ok && formatNetworkXml(r.def)).toBe(out)
  })

  it('refuses what libvirt refuses when it reads a route, naming the field', () => {
    const cases: [string, string, RegExp][] = [
      ["<route address='fd00:99::' prefix='64' gateway='fd00:1:2:3::2'/>", 'route[0].address', /IPv6 address but/],
      ["<route family='ipv6' address='10.0.0.0' prefix='8' gateway='fd00::2'/>", 'route[0].address', /IPv4 address/],
      ["<route address='10.0.0.0' prefix='8'/>", 'route[0].gateway', /needs a gateway=/],
      ["<route address='10.0.0.0' gateway='192.168.100.2'/>", 'route[0].prefix', /needs prefix=/],
      ["<route address='10.0.0.0' prefix='33' gateway='192.168.100.2'/>", 'route[0].prefix', /out of range/],
      ["<route address='10.0.0.1' prefix='8' gateway='192.168.100.2'/>", 'route[0].address', /host bits/],
      ["<route address='10.0.0.0' prefix='8' gateway='192.168.100.2' metric='0'/>", 'route[0].metric', /range/],
      ["<route family='ip' address='10.0.0.0' prefix='8' gateway='192.168.100.2'/>", 'route[0].family', /valid/],
      ["<route address='10.0.0.0' prefix='8' gateway='nope'/>", 'route[0].gateway', /not an IP address/]
    ]
    for (const [route, field, message] of cases) {
      const found = problems(net("<bridge name='virbr5'/>", `  ${route}`))
      expect(
        found.map((p) => p.field),
        route
      ).toEqual([field])
      expect(found[0].message, route).toMatch(message)
      expect(found[0].line).toBe(5)
      expect(normalizeNetworkXml(net("<bridge name='virbr5'/>", `  ${route}`)).ok).toBe(false)
    }
  })
})

describe("<dns enable='no'> with children (libvirt's routed-network-no-dns-extra-elements)", () => {
  it('is refused by the parser, so xml-normalize refuses it too', () => {
    const text = net("<bridge name='virbr5'/>", "  <dns enable='no'>", "    <forwarder addr='192.0.2.53'/>", '  </dns>')
    expect(problems(text)).toEqual([expect.objectContaining({ field: 'dns.enable', line: 5 })])
    expect(normalizeNetworkXml(text)).toMatchObject({ ok: false })
  })

  it("still reads <dns enable='no'/> alone", () => {
    expect(roundTrip(net("<bridge name='virbr5'/>", "  <dns enable='no'/>"))).toContain("<dns enable='no'/>")
  })
})
