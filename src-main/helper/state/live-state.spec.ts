import { describe, expect, it } from 'vitest'

import { isGuestnetTable, parseIpLinkNames, parseNftTables, parseProcNetDev } from './live-state'

describe('live state parsers', () => {
  it('reads interface names from /proc/net/dev', () => {
    const text = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0',
      'virbr0:    1234       5    0    0    0     0          0         0        0       0    0    0    0     0       0          0',
      ''
    ].join('\n')
    expect([...parseProcNetDev(text)]).toEqual(['lo', 'virbr0'])
  })

  it('reads tables from nft -j list tables', () => {
    const json = JSON.stringify({
      nftables: [
        { metainfo: { version: '1.0.6' } },
        { table: { family: 'inet', name: 'guestnet_default', handle: 3 } },
        { table: { family: 'ip', name: 'nat', handle: 1 } }
      ]
    })
    expect(parseNftTables(json)).toEqual([
      { family: 'inet', name: 'guestnet_default' },
      { family: 'ip', name: 'nat' }
    ])
    expect(parseNftTables('garbage')).toEqual([])
  })

  it('owns only guestnet_* tables', () => {
    expect(isGuestnetTable({ family: 'inet', name: 'guestnet_x' })).toBe(true)
    expect(isGuestnetTable({ family: 'inet', name: 'libvirt_network' })).toBe(false)
    expect(isGuestnetTable({ family: 'inet', name: 'xguestnet_' })).toBe(false)
  })

  it('reads interface names from ip -j link', () => {
    expect([...parseIpLinkNames('[{"ifindex":3,"ifname":"virbr1","group":"26478"}]')]).toEqual(['virbr1'])
    expect([...parseIpLinkNames('')]).toEqual([])
  })
})
