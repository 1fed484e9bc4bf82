import { describe, expect, it } from 'vitest'

import { parseNetworkXml } from '../xml/parse-network-xml'
import { lineOfField } from './field-line'

const XML = `<network>
  <name>lab</name>
  <forward mode='nat'>
    <nat>
      <port start='1024' end='65535'/>
    </nat>
  </forward>
  <mtu size='9000'/>
  <dns>
    <host ip='192.168.122.10'>
      <hostname>a</hostname>
      <hostname>b</hostname>
    </host>
  </dns>
  <ip address='192.168.122.1' prefix='24'>
    <dhcp>
      <range start='192.168.122.2' end='192.168.122.254'/>
      <range start='192.168.122.100' end='192.168.122.200'>
        <lease expiry='1' unit='seconds'/>
      </range>
    </dhcp>
  </ip>
  <ip family='ipv6' address='fd00::1' prefix='64'/>
</network>
`

describe('lineOfField', () => {
  const parsed = parseNetworkXml(XML)
  if (!parsed.ok) throw new Error('fixture does not parse')
  const line = (field: string): number | undefined => lineOfField(parsed.doc, field)

  it('follows elements and indexes, stopping at attributes', () => {
    expect(line('name')).toBe(2)
    expect(line('forward.nat.port.end')).toBe(5)
    expect(line('mtu.size')).toBe(8)
    expect(line('dns.host[0].hostname[1]')).toBe(12)
    expect(line('ip[0].dhcp.range[1].lease.expiry')).toBe(19)
    expect(line('ip[0].dhcp.range[1]')).toBe(18)
    expect(line('ip[1].prefix')).toBe(23)
  })

  it('falls back to the nearest element that exists', () => {
    expect(line('bridge.name')).toBe(1)
    expect(line('ip[5].address')).toBe(1)
    expect(line('ip[0].dhcp.host[3].mac')).toBe(16)
    expect(line('(definition)')).toBe(1)
  })
})
