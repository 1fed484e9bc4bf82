import { describe, expect, it } from 'vitest'

import type { Problem } from '../model/problem'
import { formatProblem } from '../model/problem'
import { parseNetworkXml } from './parse-network-xml'

/** Wraps body lines in a minimal network; the body starts on line 3. */
function net(...body: string[]): string {
  return ['<network>', '  <name>lab</name>', ...body, '</network>'].join('\n')
}

function problems(text: string): Problem[] {
  const r = parseNetworkXml(text)
  if (r.ok) throw new Error('expected problems, got a definition')
  return r.problems
}

describe('parseNetworkXml: what it reads', () => {
  it('reads every supported element into the model', () => {
    const r = parseNetworkXml(
      net(
        '  <uuid>3e3fce45-4f53-4fa7-bb32-11f34168b82b</uuid>',
        '  <title>Lab</title>',
        '  <description>For &lt;tests&gt; &amp; more</description>',
        "  <forward mode='nat' dev='eth0'><nat ipv6='yes'><address start='203.0.113.1' end='203.0.113.4'/><port start='1024' end='65535'/></nat><interface dev='eth0'/></forward>",
        "  <bridge name='virbr9' stp='off' delay='2'/>",
        "  <mtu size='9000'/>",
        "  <mac address='52:54:00:AB:CD:EF'/>",
        "  <domain name='lab.test' localOnly='yes'/>",
        "  <dns enable='yes' forwardPlainNames='no'>",
        "    <forwarder addr='192.0.2.53'/><forwarder domain='corp.test' addr='192.0.2.54'/>",
        "    <host ip='10.9.0.5'><hostname>db</hostname><hostname>db2</hostname></host>",
        "    <srv service='ldap' protocol='tcp' port='389' priority='1' weight='5' target='db.lab.test'/>",
        "    <txt name='hello' value='world'/>",
        '  </dns>',
        "  <ip address='10.9.0.1' netmask='255.255.255.0' localPtr='yes'>",
        "    <dhcp><range start='10.9.0.100' end='10.9.0.200'><lease expiry='2' unit='hours'/></range>",
        "      <host mac='52:54:00:00:00:01' name='a' ip='10.9.0.10'><lease expiry='0'/></host></dhcp>",
        '  </ip>',
        "  <ip family='ipv6' address='fd00:9::1' prefix='64'><dhcp><host id='0:1:2' ip='fd00:9::10'/></dhcp></ip>"
      ).replace('<network>', "<network ipv6='yes'>")
    )
    expect(r.ok && r.def).toEqual({
      name: 'lab',
      uuid: '3e3fce45-4f53-4fa7-bb32-11f34168b82b',
      title: 'Lab',
      description: 'For <tests> & more',
      ipv6: true,
      forward: {
        mode: 'nat',
        dev: 'eth0',
        nat: { ipv6: true, addressStart: '203.0.113.1', addressEnd: '203.0.113.4', portStart: 1024, portEnd: 65535 }
      },
      bridge: { name: 'virbr9', stp: false, delay: 2 },
      mtu: 9000,
      mac: '52:54:00:AB:CD:EF',
      domain: { name: 'lab.test', localOnly: true },
      dns: {
        enable: true,
        forwardPlainNames: false,
        forwarders: [{ addr: '192.0.2.53' }, { domain: 'corp.test', addr: '192.0.2.54' }],
        hosts: [{ ip: '10.9.0.5', hostnames: ['db', 'db2'] }],
        srvs: [{ service: 'ldap', protocol: 'tcp', target: 'db.lab.test', port: 389, priority: 1, weight: 5 }],
        txts: [{ name: 'hello', value: 'world' }]
      },
      ips: [
        {
          family: 'ipv4',
          address: '10.9.0.1',
          prefix: 24,
          fromNetmask: true,
          localPtr: true,
          dhcp: {
            ranges: [{ start: '10.9.0.100', end: '10.9.0.200', lease: { expiry: 2, unit: 'hours' } }],
            hosts: [{ mac: '52:54:00:00:00:01', name: 'a', ip: '10.9.0.10', lease: { expiry: 0, unit: 'minutes' } }]
          }
        },
        {
          family: 'ipv6',
          address: 'fd00:9::1',
          prefix: 64,
          dhcp: { ranges: [], hosts: [{ id: '0:1:2', ip: 'fd00:9::10' }] }
        }
      ]
    })
  })

  it('treats no <forward> as isolated and a bare <forward/> as NAT', () => {
    const isolated = parseNetworkXml(net())
    const bare = parseNetworkXml(net('  <forward/>'))
    expect(isolated.ok && isolated.def.forward).toEqual({ mode: 'none' })
    expect(bare.ok && bare.def.forward).toEqual({ mode: 'nat' })
  })

  it("takes the single <interface dev> as the uplink when dev= is absent (libvirt's mirror)", () => {
    const r = parseNetworkXml(net("  <forward mode='route'><interface dev='enp3s0'/></forward>"))
    expect(r.ok && r.def.forward).toEqual({ mode: 'route', dev: 'enp3s0' })
  })

  it('implies the prefix like libvirt when neither prefix nor netmask is given', () => {
    const r = parseNetworkXml(
      net("  <ip address='10.24.10.1'/>", "  <ip address='172.16.0.1'/>", "  <ip family='ipv6' address='fd00::1'/>")
    )
    expect(r.ok && r.def.ips.map((ip) => ip.prefix)).toEqual([8, 16, 64])
  })

  it('drops an empty <dhcp/> and <dns/>, as libvirt does', () => {
    const r = parseNetworkXml(net('  <dns/>', "  <ip address='10.0.0.1' prefix='24'><dhcp/></ip>"))
    expect(r.ok && r.def.dns).toBeUndefined()
    expect(r.ok && r.def.ips[0].dhcp).toBeUndefined()
  })

  it('returns the parsed document for the writer', () => {
    const r = parseNetworkXml('<!-- hi -->\n' + net())
    expect(r.ok && r.doc.before).toEqual([{ type: 'comment', text: ' hi ' }])
    expect(r.ok && r.doc.root.line).toBe(2)
  })
})

describe('parseNetworkXml: problems name the field, the line and the fix', () => {
  it('reports unsupported elements with their own line', () => {
    const found = problems(
      net(
        "  <bandwidth><inbound average='1000'/></bandwidth>",
        "  <ip address='10.0.0.1' prefix='24'/>",
        "  <vlan><tag id='42'/></vlan>"
      )
    )
    expect(found).toEqual([
      { field: 'bandwidth', message: 'unsupported: <bandwidth>', fix: expect.stringContaining('QoS'), line: 3 },
      { field: 'vlan', message: 'unsupported: <vlan>', fix: expect.stringContaining('VLAN'), line: 5 }
    ])
  })

  it('reports unsupported attributes and forward modes', () => {
    const found = problems(net("  <forward mode='vepa'/>", "  <bridge name='br0' stp='on' vlan_filtering='1'/>"))
    expect(found.map((p) => [p.field, p.message, p.line])).toEqual([
      ['forward.mode', "unsupported: <forward mode='vepa'>", 3],
      ['bridge.vlan_filtering', 'unsupported: <bridge vlan_filtering>', 4]
    ])
  })

  it('reports the dnsmasq:options namespace element', () => {
    const text =
      "<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>\n  <name>x</name>\n  <dnsmasq:options>\n    <dnsmasq:option value='a'/>\n  </dnsmasq:options>\n</network>"
    const found = problems(text)
    expect(found).toEqual([
      expect.objectContaining({ field: 'dnsmasq:options', message: 'unsupported: <dnsmasq:options>', line: 3 })
    ])
    // Why it stays refused (raw options run as root), and what to use instead.
    expect(formatProblem(found[0])).toMatch(/dhcp-script .*run programs as root/)
    expect(found[0].fix).toContain("<tftp root='/srv/tftp'/>")
    expect(found[0].fix).toContain("<bootp file='pxelinux.0'/>")
  })

  it('counts lines past comments that contain tags', () => {
    const found = problems(net('  <!--', "  <ip address='1.2.3.4'/>", '  -->', '  <vlan/>'))
    expect(found).toEqual([expect.objectContaining({ field: 'vlan', line: 6 })])
  })

  it('names the ip by index for bad values', () => {
    const found = problems(
      net(
        "  <ip address='10.0.0.1' prefix='24'/>",
        "  <ip address='10.1.0.1' netmask='255.0.255.0'/>",
        "  <ip address='10.2.0.1' prefix='twenty'/>",
        "  <ip family='ipv5' address='10.3.0.1'/>",
        "  <ip address='fd00::1' prefix='64'/>"
      )
    )
    expect(found.map((p) => [p.field, p.line])).toEqual([
      ['ip[1].netmask', 4],
      ['ip[2].prefix', 5],
      ['ip[3].family', 6],
      ['ip[4].family', 7]
    ])
    expect(found[0]).toMatchObject({
      message: "'255.0.255.0' is not a valid netmask",
      fix: expect.stringContaining('255.255.255.0')
    })
    expect(found[1].message).toBe("'twenty' is not a whole number")
    expect(found[3].fix).toBe("add family='ipv6'")
  })

  it('refuses bad yes/no, on/off and lease units', () => {
    const found = problems(
      net(
        "  <bridge stp='yes'/>",
        "  <domain name='x' localOnly='true'/>",
        "  <ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><lease expiry='1' unit='days'/></range></dhcp></ip>"
      )
    )
    expect(found.map((p) => [p.field, p.message, p.fix])).toEqual([
      ['bridge.stp', "'yes' is not a valid stp", "use 'on' or 'off'"],
      ['domain.localOnly', "'true' is not a valid localOnly", "use 'yes' or 'no'"],
      ['ip[0].dhcp.range[0].lease.unit', "'days' is not a valid unit", "use 'seconds', 'minutes', 'hours'"]
    ])
  })

  it("rejects forward dev with mode='open', like libvirt", () => {
    expect(problems(net("  <forward mode='open' dev='eth0'/>"))).toEqual([
      expect.objectContaining({ field: 'forward.dev', message: "forward dev is not allowed with mode='open'", line: 3 })
    ])
  })

  it('rejects an <interface> that contradicts dev=, and a pool of interfaces', () => {
    const found = problems(
      net(
        "  <forward mode='nat' dev='eth0'>",
        "    <interface dev='eth1'/>",
        "    <interface dev='eth2'/>",
        '  </forward>'
      )
    )
    expect(found.map((p) => [p.field, p.line])).toEqual([
      ['forward.interface[0].dev', 4],
      ['forward.interface[1]', 5]
    ])
  })

  it('reports missing required parts', () => {
    const found = problems(
      '<network>\n  <ip prefix="24"/>\n  <dns><txt name="x"/><host ip="10.0.0.1"/></dns>\n</network>'
    )
    expect(found.map((p) => p.field)).toEqual(['name', 'ip[0].address', 'dns.host[0]', 'dns.txt[0].value'])
    expect(found[0]).toMatchObject({ line: 1, fix: expect.stringContaining('<name>') })
  })

  it('reports a duplicated single element', () => {
    expect(problems(net("  <mtu size='1500'/>", "  <mtu size='9000'/>"))).toEqual([
      expect.objectContaining({ field: 'mtu', message: 'more than one <mtu>', line: 4 })
    ])
  })

  it("reports malformed XML with the parser's line", () => {
    expect(problems('<network>\n  <name>x</name>\n  <ip>\n</network>')).toEqual([
      expect.objectContaining({ field: 'xml', message: expect.stringMatching(/^malformed XML: .*'ip'/), line: 4 })
    ])
    expect(problems('')).toEqual([
      expect.objectContaining({ field: 'xml', message: 'malformed XML: the file is empty' })
    ])
    expect(problems('<network/>\n<network/>')[0].message).toMatch(/exactly one root element/)
  })

  it('refuses a root other than <network>', () => {
    expect(problems('<domain/>')).toEqual([
      expect.objectContaining({ field: 'network', message: 'expected a <network> definition, found <domain>' })
    ])
  })
})
