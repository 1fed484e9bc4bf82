import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../model/network'
import { formatNetworkXml, normalizeNetworkXml } from './format-network-xml'
import { parseNetworkXml } from './parse-network-xml'

function parse(text: string): Extract<ReturnType<typeof parseNetworkXml>, { ok: true }> {
  const r = parseNetworkXml(text)
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.line}: ${p.field}: ${p.message}`).join('\n'))
  return r
}

/** Lines that differ between two texts of the same length in lines. */
function changedLines(a: string, b: string): string[] {
  const la = a.split('\n')
  const lb = b.split('\n')
  expect(lb.length).toBe(la.length)
  return la.flatMap((line, i) => (line === lb[i] ? [] : [`${line} -> ${lb[i]}`]))
}

describe('formatNetworkXml without a document: canonical libvirt form', () => {
  it("writes libvirt's element and attribute order with its normalisations", () => {
    const def: NetworkDef = {
      name: 'lab',
      uuid: '3e3fce45-4f53-4fa7-bb32-11f34168b82b',
      title: 'Lab',
      description: 'a "quoted" & <tagged> note',
      ipv6: false,
      ips: [
        { family: 'ipv6', address: 'fd00:9::1', prefix: 64 },
        {
          family: 'ipv4',
          address: '10.9.0.1',
          prefix: 24,
          fromNetmask: true,
          dhcp: {
            ranges: [{ start: '10.9.0.100', end: '10.9.0.200', lease: { expiry: 0, unit: 'hours' } }],
            hosts: [{ ip: '10.9.0.10', name: 'a', mac: '52:54:00:00:00:01', lease: { expiry: 30, unit: 'minutes' } }]
          }
        }
      ],
      dns: {
        hosts: [{ ip: '10.9.0.5', hostnames: ['db'] }],
        txts: [{ name: 't', value: 'v' }],
        srvs: [{ service: 'ldap', protocol: 'tcp', port: 389 }],
        forwarders: [{ addr: '192.0.2.53', domain: 'corp.test' }],
        forwardPlainNames: false
      },
      domain: { name: 'lab.test' },
      mac: '52:54:00:AB:CD:EF',
      mtu: 9000,
      bridge: { name: 'virbr9' },
      forward: { mode: 'nat', dev: 'eth0', nat: { portStart: 1024, portEnd: 65535 } }
    }
    expect(formatNetworkXml(def)).toBe(
      [
        '<network>',
        '  <name>lab</name>',
        '  <uuid>3e3fce45-4f53-4fa7-bb32-11f34168b82b</uuid>',
        '  <title>Lab</title>',
        '  <description>a &quot;quoted&quot; &amp; &lt;tagged&gt; note</description>',
        "  <forward dev='eth0' mode='nat'>",
        '    <nat>',
        "      <port start='1024' end='65535'/>",
        '    </nat>',
        "    <interface dev='eth0'/>",
        '  </forward>',
        "  <bridge name='virbr9' stp='on' delay='0'/>",
        "  <mtu size='9000'/>",
        "  <mac address='52:54:00:ab:cd:ef'/>",
        "  <domain name='lab.test'/>",
        "  <dns forwardPlainNames='no'>",
        "    <forwarder domain='corp.test' addr='192.0.2.53'/>",
        "    <txt name='t' value='v'/>",
        "    <srv service='ldap' protocol='tcp' port='389'/>",
        "    <host ip='10.9.0.5'>",
        '      <hostname>db</hostname>',
        '    </host>',
        '  </dns>',
        "  <ip family='ipv6' address='fd00:9::1' prefix='64'/>",
        "  <ip address='10.9.0.1' netmask='255.255.255.0'>",
        '    <dhcp>',
        "      <range start='10.9.0.100' end='10.9.0.200'>",
        "        <lease expiry='0'/>",
        '      </range>',
        "      <host mac='52:54:00:00:00:01' name='a' ip='10.9.0.10'>",
        "        <lease expiry='30' unit='minutes'/>",
        '      </host>',
        '    </dhcp>',
        '  </ip>',
        '</network>',
        ''
      ].join('\n')
    )
  })

  it('writes an isolated network without <forward>, but with a managed <bridge>', () => {
    const xml = formatNetworkXml({
      name: 'iso',
      forward: { mode: 'none' },
      ips: [{ family: 'ipv4', address: '10.0.0.1', prefix: 24 }]
    })
    expect(xml).toBe(
      "<network>\n  <name>iso</name>\n  <bridge stp='on' delay='0'/>\n  <ip address='10.0.0.1' prefix='24'/>\n</network>\n"
    )
  })

  it("writes ipv6='yes' on <network> but never ipv6='no'", () => {
    const base: NetworkDef = { name: 'n', forward: { mode: 'route' }, ips: [] }
    expect(formatNetworkXml({ ...base, ipv6: true })).toMatch(/^<network ipv6='yes'>/)
    expect(formatNetworkXml({ ...base, ipv6: false })).toMatch(/^<network>/)
  })

  it('normalises a bare <forward/> to NAT and mirrors forward dev', () => {
    const r = normalizeNetworkXml('<network><name>n</name><forward/><forward-not/></network>')
    expect(r.ok).toBe(false)
    const ok = normalizeNetworkXml('<network><name>n</name><bridge name="b"/><forward dev="eth9"/></network>')
    expect(ok).toEqual({
      ok: true,
      xml: "<network>\n  <name>n</name>\n  <forward dev='eth9' mode='nat'>\n    <interface dev='eth9'/>\n  </forward>\n  <bridge name='b' stp='on' delay='0'/>\n</network>\n"
    })
  })

  it('escapes single quotes in attribute values', () => {
    const xml = formatNetworkXml({
      name: 'n',
      forward: { mode: 'none' },
      ips: [],
      dns: { forwarders: [], hosts: [], srvs: [], txts: [{ name: 'q', value: "it's" }] }
    })
    expect(xml).toContain("<txt name='q' value='it&apos;s'/>")
    const back = parse(xml)
    expect(back.def.dns?.txts[0].value).toBe("it's")
  })
})

const COMMENTED = `<?xml version='1.0' encoding='UTF-8'?>
<!-- Edited by hand: keep the comments -->
<network>
  <name>lab</name>
  <uuid>3e3fce45-4f53-4fa7-bb32-11f34168b82b</uuid>
  <metadata>
    <app:tag xmlns:app="http://example.org/app" keep="as-is">opaque <b>stuff</b></app:tag>
  </metadata>
  <!-- uplink is the wired card -->
  <forward dev='enp3s0' mode='nat'>
    <interface dev='enp3s0'/>
  </forward>
  <bridge name='virbr7' stp='on' delay='0'/>
  <!-- main subnet -->
  <ip family='ipv4' address='10.7.0.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='10.7.0.100' end='10.7.0.200'/>
      <!-- alice's laptop -->
      <host mac='52:54:00:aa:bb:cc' name='alice' ip='10.7.0.10'/>
      <!-- bob's desktop -->
      <host mac='52:54:00:aa:bb:dd' name='bob' ip='10.7.0.11'/>
      <!-- add new hosts above -->
    </dhcp>
  </ip>
  <ip address='10.8.0.1'/>
</network>
<!-- end -->
`

describe('formatNetworkXml with the parsed document: comments and spelling survive', () => {
  it('reproduces an already-canonical commented file byte for byte', () => {
    const { def, doc } = parse(COMMENTED)
    expect(formatNetworkXml(def, doc)).toBe(COMMENTED)
  })

  it('changes one field in place and nothing else', () => {
    const { def, doc } = parse(COMMENTED)
    def.ips[0].dhcp!.hosts[0].ip = '10.7.0.20'
    expect(changedLines(COMMENTED, formatNetworkXml(def, doc))).toEqual([
      "      <host mac='52:54:00:aa:bb:cc' name='alice' ip='10.7.0.10'/> -> " +
        "      <host mac='52:54:00:aa:bb:cc' name='alice' ip='10.7.0.20'/>"
    ])
  })

  it('changes the uplink: both dev= and its <interface> mirror, comment kept', () => {
    const { def, doc } = parse(COMMENTED)
    def.forward.dev = 'wlan0'
    expect(changedLines(COMMENTED, formatNetworkXml(def, doc))).toEqual([
      "  <forward dev='enp3s0' mode='nat'> -> " + "  <forward dev='wlan0' mode='nat'>",
      "    <interface dev='enp3s0'/> -> " + "    <interface dev='wlan0'/>"
    ])
  })

  it("drops a deleted element's own comment and keeps the others", () => {
    const { def, doc } = parse(COMMENTED)
    def.ips[0].dhcp!.hosts.splice(1, 1)
    const out = formatNetworkXml(def, doc)
    expect(out).not.toContain('bob')
    expect(out).toContain(
      "      <!-- alice's laptop -->\n      <host mac='52:54:00:aa:bb:cc' name='alice' ip='10.7.0.10'/>\n      <!-- add new hosts above -->\n"
    )
  })

  it('keeps each comment with its host when every host is renumbered', () => {
    const { def, doc } = parse(COMMENTED)
    for (const h of def.ips[0].dhcp!.hosts) h.ip = h.ip!.replace('10.7.', '10.9.')
    expect(changedLines(COMMENTED, formatNetworkXml(def, doc)).length).toBe(2)
    expect(formatNetworkXml(def, doc)).toContain(
      "<!-- bob's desktop -->\n      <host mac='52:54:00:aa:bb:dd' name='bob' ip='10.9.0.11'/>"
    )
  })

  it('keeps namespace declarations of the root for <metadata>', () => {
    const text =
      "<network xmlns:app='http://example.org/app' connections='2'>\n  <name>n</name>\n  <metadata><app:x/></metadata>\n</network>\n"
    const r = normalizeNetworkXml(text)
    expect(r.ok && r.xml).toBe(
      "<network xmlns:app='http://example.org/app'>\n  <name>n</name>\n  <metadata><app:x/></metadata>\n  <bridge stp='on' delay='0'/>\n</network>\n"
    )
  })

  it('adds a new element without borrowing a comment', () => {
    const { def, doc } = parse(COMMENTED)
    def.ips[0].dhcp!.hosts.push({ mac: '52:54:00:aa:bb:ee', name: 'carol', ip: '10.7.0.12' })
    const out = formatNetworkXml(def, doc)
    expect(out).toContain(
      "      <host mac='52:54:00:aa:bb:dd' name='bob' ip='10.7.0.11'/>\n      <host mac='52:54:00:aa:bb:ee' name='carol' ip='10.7.0.12'/>\n      <!-- add new hosts above -->"
    )
  })

  it('moves elements into canonical order, each with the comment above it', () => {
    const text =
      "<network>\n  <name>n</name>\n  <!-- b -->\n  <bridge name='virbr1'/>\n  <!-- f -->\n  <forward mode='route'/>\n</network>\n"
    expect(normalizeNetworkXml(text)).toEqual({
      ok: true,
      xml: "<network>\n  <name>n</name>\n  <!-- f -->\n  <forward mode='route'/>\n  <!-- b -->\n  <bridge name='virbr1' stp='on' delay='0'/>\n</network>\n"
    })
  })

  it('keeps <metadata> verbatim and never interprets it', () => {
    const { def, doc } = parse(COMMENTED)
    expect(def).not.toHaveProperty('metadata')
    expect(formatNetworkXml(def, doc)).toContain(
      '<app:tag xmlns:app="http://example.org/app" keep="as-is">opaque <b>stuff</b></app:tag>'
    )
    expect(formatNetworkXml(def)).not.toContain('metadata')
  })

  it("keeps the admin's family='ipv4' and omitted prefix, but only while they still hold", () => {
    const { def, doc } = parse(COMMENTED)
    expect(formatNetworkXml(def, doc)).toContain("  <ip address='10.8.0.1'/>\n")
    def.ips[1].prefix = 16
    expect(formatNetworkXml(def, doc)).toContain("  <ip address='10.8.0.1' prefix='16'/>\n")
    expect(formatNetworkXml(def)).toContain("  <ip address='10.7.0.1' netmask='255.255.255.0'>\n")
  })

  it('is idempotent on its own output', () => {
    const once = normalizeNetworkXml(COMMENTED.replace(/'/g, '"').replace('  <name>', '<name>'))
    expect(once.ok).toBe(true)
    if (!once.ok) return
    expect(normalizeNetworkXml(once.xml)).toEqual(once)
  })
})
