import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../model/network'
import type { PortForward } from '../model/port-forward'
import { validDef } from '../../../test/unit-support/valid-network.fixture'
import { validateNetwork } from './validate-network'

function withForwards(forwards: PortForward[], change: (d: NetworkDef) => void = () => {}): NetworkDef {
  const def = validDef()
  change(def)
  return { ...def, guestnet: { portForwards: forwards } }
}

const ssh: PortForward = { proto: 'tcp', port: 2222, to: '192.168.123.50', toPort: 22 }

describe('port forwards in validateNetwork', () => {
  it('accepts an address, a MAC and a reservation name, in every family the network has', () => {
    const def = withForwards([
      ssh,
      { proto: 'udp', port: 5353, to: '52:54:00:12:34:57', family: 'both' },
      { proto: 'tcp', port: 8080, to: 'db', family: 'ipv6' },
      { proto: 'tcp', port: 2223, to: '192.168.123.51', address: '203.0.113.5' }
    ])
    expect(validateNetwork(def)).toEqual([])
  })

  it.each<[string, PortForward[], string, RegExp, ((d: NetworkDef) => void)?]>([
    ['port 0', [{ ...ssh, port: 0 }], 'metadata.portForwards.forward[0].port', /out of range/],
    ['toPort 0', [{ ...ssh, toPort: 0 }], 'metadata.portForwards.forward[0].toPort', /out of range/],
    ['a target outside', [{ ...ssh, to: '10.0.0.5' }], 'metadata.portForwards.forward[0].to', /not in the network/],
    ['the gateway', [{ ...ssh, to: '192.168.123.1' }], 'metadata.portForwards.forward[0].to', /host's own/],
    ['the broadcast', [{ ...ssh, to: '192.168.123.255' }], 'metadata.portForwards.forward[0].to', /broadcast/],
    ['an unknown name', [{ ...ssh, to: 'nosuch' }], 'metadata.portForwards.forward[0].to', /neither an address/],
    ['a multicast MAC', [{ ...ssh, to: '01:00:5e:00:00:01' }], 'metadata.portForwards.forward[0].to', /multicast/],
    [
      'an IPv4 target for both families',
      [{ ...ssh, family: 'both' }],
      'metadata.portForwards.forward[0].family',
      /IPv4 address/
    ],
    [
      'a duplicate',
      [ssh, { ...ssh, to: '192.168.123.51' }],
      'metadata.portForwards.forward[1].port',
      /tcp\/2222 is forwarded already by metadata.portForwards.forward\[0\]/
    ],
    [
      'a duplicate at one address beside one at all',
      [ssh, { ...ssh, address: '203.0.113.5' }],
      'metadata.portForwards.forward[1].port',
      /forwarded already/
    ],
    [
      'IPv6 on a network without IPv6',
      [{ ...ssh, to: 'db', family: 'ipv6' }],
      'metadata.portForwards.forward[0].family',
      /no IPv6 address/,
      (d) => {
        d.ips = d.ips.filter((ip) => ip.family === 'ipv4')
      }
    ],
    ['the DNS port', [{ ...ssh, proto: 'udp', port: 53 }], 'metadata.portForwards.forward[0].port', /DNS/],
    [
      'an address of the other family',
      [{ ...ssh, address: '2001:db8::5' }],
      'metadata.portForwards.forward[0].family',
      /IPv6 address/
    ],
    ['a bad address', [{ ...ssh, address: 'eth0' }], 'metadata.portForwards.forward[0].address', /not an IP/],
    [
      'a port change through a pinhole',
      [{ ...ssh, to: 'db', family: 'ipv6' }],
      'metadata.portForwards.forward[0].toPort',
      /pinhole/,
      (d) => {
        d.ips[1] = { ...d.ips[1], address: '2001:db8:1:2::1', dhcp: undefined }
        delete d.ips[1].dhcp
        d.dns = { ...d.dns!, forwarders: [] }
      }
    ],
    [
      'an isolated network',
      [ssh],
      'metadata.portForwards',
      /mode 'none'/,
      (d) => {
        d.forward = { mode: 'none' }
      }
    ]
  ])('refuses %s', (_what, forwards, field, message, change) => {
    const problems = validateNetwork(withForwards(forwards, change))
    expect(problems).toContainEqual(expect.objectContaining({ field, message: expect.stringMatching(message) }))
  })

  it('refuses a port another network forwards, naming it (positive control: another port passes)', () => {
    const other = { ...validDef(), name: 'other', guestnet: { portForwards: [{ ...ssh, to: '10.0.0.5' }] } }
    const clash = validateNetwork(withForwards([ssh]), { others: [other] })
    expect(clash).toContainEqual(
      expect.objectContaining({
        field: 'metadata.portForwards.forward[0].port',
        message: expect.stringMatching(/network other/)
      })
    )
    const fine = validateNetwork(withForwards([{ ...ssh, port: 2223 }]), { others: [other] })
    expect(fine.filter((p) => p.field.startsWith('metadata'))).toEqual([])
  })

  it('refuses hostile forwards by their shape first', () => {
    const def = withForwards([{ ...ssh, port: '22; drop' as unknown as number }])
    expect(validateNetwork(def)).toEqual([expect.objectContaining({ field: 'metadata.portForwards.forward[0].port' })])
  })
})
