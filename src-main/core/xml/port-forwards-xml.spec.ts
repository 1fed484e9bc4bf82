import { describe, expect, it } from 'vitest'

import { formatNetworkXml } from './format-network-xml'
import { parseNetworkXml } from './parse-network-xml'

const net = (metadata: string): string => `<network>
  <name>fw</name>
  <forward mode='nat'/>
  <bridge name='virbr9'/>
  <!-- the admin's comment -->
  <metadata>
    <other:app xmlns:other='urn:example:other'><other:x a='1'/></other:app>
    ${metadata}
  </metadata>
  <ip address='192.168.122.1' prefix='24'>
    <dhcp><range start='192.168.122.2' end='192.168.122.254'/><host mac='52:54:00:00:00:01' name='web' ip='192.168.122.20'/></dhcp>
  </ip>
</network>`

const FORWARDS = `<gn:portForwards xmlns:gn='urn:guestnet:network:1'>
  <gn:forward proto='tcp' port='2222' to='192.168.122.10' toPort='22'/>
  <gn:forward proto='udp' port='5353' to='52:54:00:12:34:56' family='both'/>
  <gn:forward proto='tcp' port='8080' to='web' address='203.0.113.5'/>
</gn:portForwards>`

describe('<gn:portForwards>', () => {
  it('reads each forward with only the attributes given', () => {
    const r = parseNetworkXml(net(FORWARDS))
    if (!r.ok) throw new Error(JSON.stringify(r.problems))
    expect(r.def.guestnet?.portForwards).toEqual([
      { proto: 'tcp', port: 2222, to: '192.168.122.10', toPort: 22 },
      { proto: 'udp', port: 5353, to: '52:54:00:12:34:56', family: 'both' },
      { proto: 'tcp', port: 8080, to: 'web', address: '203.0.113.5' }
    ])
  })

  it('writes them back inside <gn:settings>, keeping comments and the other application’s metadata', () => {
    const r = parseNetworkXml(net(FORWARDS))
    if (!r.ok) throw new Error('parse')
    const xml = formatNetworkXml(r.def, r.doc)
    expect(xml).toContain("<!-- the admin's comment -->")
    expect(xml).toContain("<other:app xmlns:other='urn:example:other'>")
    expect(xml).toContain("<gn:forward proto='tcp' port='2222' to='192.168.122.10' toPort='22'/>")
    const again = parseNetworkXml(xml)
    if (!again.ok) throw new Error(JSON.stringify(again.problems))
    expect(again.def.guestnet).toEqual(r.def.guestnet)
  })

  it('a definition without forwards has no guestnet settings', () => {
    const r = parseNetworkXml(net(''))
    if (!r.ok) throw new Error('parse')
    expect(r.def.guestnet).toBeUndefined()
  })

  it.each([
    ["<gn:forward port='1' to='192.168.122.9'/>", 'metadata.portForwards.forward[0].proto', /proto=/],
    ["<gn:forward proto='sctp' port='1' to='192.168.122.9'/>", 'metadata.portForwards.forward[0].proto', /'sctp'/],
    ["<gn:forward proto='tcp' to='192.168.122.9'/>", 'metadata.portForwards.forward[0].port', /port=/],
    ["<gn:forward proto='tcp' port='x' to='192.168.122.9'/>", 'metadata.portForwards.forward[0].port', /whole number/],
    ["<gn:forward proto='tcp' port='1'/>", 'metadata.portForwards.forward[0].to', /to=/],
    ["<gn:forward proto='tcp' port='1' to='a' family='ipv5'/>", 'metadata.portForwards.forward[0].family', /ipv5/],
    ["<gn:forward proto='tcp' port='1' to='a' colour='red'/>", 'metadata.portForwards.forward[0].colour', /colour/],
    ["<gn:rule proto='tcp'/>", 'metadata.portForwards.rule', /unsupported/]
  ])('refuses %s naming %s', (inner, field, message) => {
    const r = parseNetworkXml(net(`<gn:portForwards xmlns:gn='urn:guestnet:network:1'>${inner}</gn:portForwards>`))
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.problems[0]).toMatchObject({ field, message: expect.stringMatching(message) })
  })
})
