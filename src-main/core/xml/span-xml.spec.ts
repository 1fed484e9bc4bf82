import { describe, expect, it } from 'vitest'

import { formatNetworkXml } from './format-network-xml'
import { parseNetworkXml } from './parse-network-xml'

const net = (metadata: string): string => `<network>
  <name>lab</name>
  <forward mode='nat'/>
  <bridge name='virbr9'/>
  <mac address='52:54:00:0a:0b:0c'/>
  <metadata>
    ${metadata}
  </metadata>
  <ip address='192.168.50.1' prefix='24'>
    <dhcp><range start='192.168.50.2' end='192.168.50.254'/></dhcp>
  </ip>
</network>`

const SPAN = `<gn:span xmlns:gn='urn:guestnet:network:1' vni='4242' port='4789' underlay='198.51.100.1' slice='1/3'>
  <gn:peer address='198.51.100.2'/>
  <gn:peer address='198.51.100.3'/>
</gn:span>`

describe('<gn:span>', () => {
  it('reads the VNI, port, underlay, slice and peers', () => {
    const r = parseNetworkXml(net(SPAN))
    if (!r.ok) throw new Error(JSON.stringify(r.problems))
    expect(r.def.guestnet?.span).toEqual({
      vni: 4242,
      port: 4789,
      underlay: '198.51.100.1',
      slice: { part: 1, of: 3 },
      peers: [{ address: '198.51.100.2' }, { address: '198.51.100.3' }]
    })
  })

  it('writes a changed span inside <gn:settings> and reads the same again', () => {
    const r = parseNetworkXml(net(SPAN))
    if (!r.ok) throw new Error('parse')
    r.def.guestnet?.span?.peers.push({ address: '198.51.100.4' })
    const xml = formatNetworkXml(r.def, r.doc)
    expect(xml).toContain("<gn:settings xmlns:gn='urn:guestnet:network:1'>")
    expect(xml).toContain("<gn:span vni='4242' port='4789' underlay='198.51.100.1' slice='1/3'>")
    expect(xml).toContain("<gn:peer address='198.51.100.4'/>")
    const again = parseNetworkXml(xml)
    if (!again.ok) throw new Error(JSON.stringify(again.problems))
    expect(again.def.guestnet).toEqual(r.def.guestnet)
  })

  it('a span without port, slice or peers keeps them absent', () => {
    const r = parseNetworkXml(net("<gn:span xmlns:gn='urn:guestnet:network:1' vni='7' underlay='198.51.100.1'/>"))
    if (!r.ok) throw new Error(JSON.stringify(r.problems))
    expect(r.def.guestnet?.span).toEqual({ vni: 7, underlay: '198.51.100.1', peers: [] })
  })

  it.each([
    ["<gn:span underlay='198.51.100.1'/>", 'metadata.span.vni', /vni=/],
    ["<gn:span vni='x' underlay='198.51.100.1'/>", 'metadata.span.vni', /whole number/],
    ["<gn:span vni='1'/>", 'metadata.span.underlay', /underlay=/],
    ["<gn:span vni='1' underlay='198.51.100.1' slice='half'/>", 'metadata.span.slice', /not a slice/],
    ["<gn:span vni='1' underlay='198.51.100.1' ttl='4'/>", 'metadata.span.ttl', /unsupported/],
    ["<gn:span vni='1' underlay='198.51.100.1'><gn:peer/></gn:span>", 'metadata.span.peer[0].address', /address=/],
    ["<gn:span vni='1' underlay='198.51.100.1'><gn:remote/></gn:span>", 'metadata.span.remote', /unsupported/]
  ])('%s: a problem on %s', (el, field, message) => {
    const r = parseNetworkXml(net(el.replace('<gn:span', "<gn:span xmlns:gn='urn:guestnet:network:1'")))
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.problems.find((p) => p.field === field)?.message).toMatch(message)
  })
})
