import { describe, expect, it } from 'vitest'

import { validateNetwork } from '../validate/validate-network'
import { formatNetworkXml } from './format-network-xml'
import { parseNetworkXml } from './parse-network-xml'

const net = (uplink: string, extra = "<ip family='ipv6' address='fd00:1:2::1' prefix='64'/>"): string => `<network>
  <name>lan</name>
  <forward mode='nat'/>
  <bridge name='virbr9'/>
  <mac address='52:54:00:aa:bb:cc'/>
  <metadata>${uplink}</metadata>
  <ip address='192.168.122.1' prefix='24'/>
  ${extra}
</network>`

const parse = (xml: string) => {
  const r = parseNetworkXml(xml)
  if (!r.ok) throw new Error(JSON.stringify(r.problems))
  return r
}

describe('<gn:uplink>', () => {
  it("reads ipv6='lan' and writes it back inside <gn:settings>", () => {
    const r = parse(net("<gn:uplink xmlns:gn='urn:guestnet:network:1' ipv6='lan'/>"))
    expect(r.def.guestnet?.uplink).toEqual({ ipv6: 'lan' })
    expect(validateNetwork(r.def)).toEqual([])
    const again = parse(formatNetworkXml(r.def, r.doc))
    expect(again.def.guestnet?.uplink).toEqual({ ipv6: 'lan' })
    expect(formatNetworkXml(r.def)).toContain("<gn:uplink ipv6='lan'/>")
  })

  it('refuses an unknown value by name', () => {
    const r = parseNetworkXml(net("<gn:uplink xmlns:gn='urn:guestnet:network:1' ipv6='bridge'/>"))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.problems[0]).toMatchObject({ field: 'metadata.uplink.ipv6' })
  })

  it("reads ipv6='delegated' and ipv4='lan', and the validator says they are not built yet", () => {
    const r = parse(net("<gn:uplink xmlns:gn='urn:guestnet:network:1' ipv6='delegated' ipv4='lan'/>"))
    expect(r.def.guestnet?.uplink).toEqual({ ipv6: 'delegated', ipv4: 'lan' })
    const problems = validateNetwork(r.def)
    expect(problems.map((p) => p.field)).toEqual(['metadata.uplink.ipv6', 'metadata.uplink.ipv4'])
    expect(problems[0].message).toMatch(/not built yet/)
    expect(problems[0].fix).toMatch(/ipv6='lan'/)
  })

  it("refuses ipv6='lan' without an IPv6 <ip> or on a network that is not NAT", () => {
    const noV6 = parse(net("<gn:uplink xmlns:gn='urn:guestnet:network:1' ipv6='lan'/>", ''))
    expect(validateNetwork(noV6.def).map((p) => p.message)).toEqual([expect.stringMatching(/needs an IPv6 <ip>/)])
    const routed = parse(
      net("<gn:uplink xmlns:gn='urn:guestnet:network:1' ipv6='lan'/>").replace("mode='nat'", "mode='route'")
    )
    expect(validateNetwork(routed.def).map((p) => p.message)).toContain(
      "ipv6='lan' needs a NAT network (this one is forward mode 'route')"
    )
  })
})
