import { describe, expect, it } from 'vitest'

import { formatLeases } from './net-dhcp-leases'
import { formatNetList } from './net-list'
import { formatExpiry, formatFields, formatTable } from './net-table'

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
      {
        name: 'default',
        state: 'active',
        problems: [],
        defined: true,
        autostart: true,
        uuid: null,
        bridge: 'virbr0',
        bridgePresent: true,
        dnsmasqPid: 1,
        dnsmasqAlive: true,
        tables: [],
        startedAt: null,
        netns: null
      },
      {
        name: 'lab',
        state: 'broken',
        problems: [],
        defined: false,
        autostart: false,
        uuid: null,
        bridge: 'virbr1',
        bridgePresent: false,
        dnsmasqPid: null,
        dnsmasqAlive: null,
        tables: [],
        startedAt: null,
        netns: null
      }
    ])
    expect(text.split('\n')[2]).toBe(' default   active   yes         yes')
    expect(text.split('\n')[3]).toBe(' lab       broken   no          no')
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
