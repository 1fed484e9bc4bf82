import { describe, expect, it } from 'vitest'

import type { HelperValue } from '../../contract/helper-protocol'
import { formatLeases } from './net-dhcp-leases'
import { brokenLines, formatNetList } from './net-list'
import { formatExpiry, formatFields, formatTable } from './net-table'

type NetworkStatus = HelperValue<'status'>['networks'][number]

function status(patch: Partial<NetworkStatus> & Pick<NetworkStatus, 'name' | 'state'>): NetworkStatus {
  return {
    problems: [],
    defined: true,
    autostart: false,
    uuid: null,
    bridge: null,
    bridgePresent: false,
    dnsmasqPid: null,
    dnsmasqAlive: null,
    tables: [],
    startedAt: null,
    netns: null,
    ...patch
  }
}

describe('virsh-style output', () => {
  it('lays out a table like virsh net-list', () => {
    expect(formatTable(['Name', 'State', 'Autostart', 'Persistent'], [['default', 'active', 'yes', 'yes']])).toBe(
      [' Name      State    Autostart   Persistent', '-'.repeat(43), ' default   active   yes         yes', ''].join(
        '\n'
      )
    )
  })

  it('prints net-list rows from status', () => {
    const text = formatNetList([
      status({ name: 'default', state: 'active', autostart: true, bridge: 'virbr0', bridgePresent: true }),
      status({ name: 'lab', state: 'broken', defined: false, bridge: 'virbr1' })
    ])
    expect(text.split('\n')[2]).toBe(' default   active   yes         yes')
    expect(text.split('\n')[3]).toBe(' lab       broken   no          no')
  })

  it('names each broken network with its reasons, for stderr beside the table', () => {
    expect(
      brokenLines([
        status({ name: 'ok', state: 'active' }),
        status({ name: 'my-lab', state: 'broken', problems: ['bridge gnlab0 is missing', 'dnsmasq is not running'] }),
        status({ name: 'bare', state: 'broken' })
      ])
    ).toEqual([
      'network my-lab is broken: bridge gnlab0 is missing; dnsmasq is not running',
      'network bare is broken: no reason given'
    ])
  })

  it('prints leases with prefix, none as -, and infinite as never', () => {
    const text = formatLeases({
      network: 'default',
      problems: [],
      leases: [
        {
          family: 'ipv4',
          expiry: null,
          mac: '52:54:00:00:00:01',
          iaid: null,
          ip: '192.168.122.45',
          hostname: null,
          clientId: null,
          prefix: 24
        }
      ]
    })
    expect(text).toContain(' never         52:54:00:00:00:01   ipv4       192.168.122.45/24   -          -')
  })

  it('formats fields and expiry times', () => {
    expect(formatFields([['Name', 'default']])).toBe('Name:           default')
    expect(formatExpiry(null)).toBe('never')
    expect(formatExpiry(0)).toMatch(/^19(69|70)-/)
  })
})
