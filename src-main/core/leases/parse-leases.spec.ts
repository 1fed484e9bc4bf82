import { describe, expect, it } from 'vitest'

import { parseLeases } from './parse-leases'

describe('parseLeases', () => {
  it('reads IPv4 leases, with * as none and 0 as an infinite lease', () => {
    const text = [
      '1732800000 52:54:00:AA:bb:01 192.168.122.45 guest1 01:52:54:00:aa:bb:01',
      '0 52:54:00:aa:bb:02 192.168.122.46 * *',
      ''
    ].join('\n')
    const r = parseLeases(text)
    expect(r.problems).toEqual([])
    expect(r.leases).toEqual([
      {
        family: 'ipv4',
        expiry: 1732800000,
        mac: '52:54:00:aa:bb:01',
        iaid: null,
        ip: '192.168.122.45',
        hostname: 'guest1',
        clientId: '01:52:54:00:aa:bb:01'
      },
      {
        family: 'ipv4',
        expiry: null,
        mac: '52:54:00:aa:bb:02',
        iaid: null,
        ip: '192.168.122.46',
        hostname: null,
        clientId: null
      }
    ])
  })

  it('reads the IPv6 section after the duid line', () => {
    const text = [
      '1732800000 52:54:00:aa:bb:01 10.0.0.5 a *',
      'duid 00:01:00:01:2c:aa:bb:cc:52:54:00:00:00:01',
      '1732800100 12345 FD00:0:0:0::20 b 00:04:aa:bb',
      '1732800200 T77 fd00::21 * *'
    ].join('\n')
    const r = parseLeases(text)
    expect(r.serverDuid).toBe('00:01:00:01:2c:aa:bb:cc:52:54:00:00:00:01')
    expect(r.leases.map((l) => [l.family, l.ip, l.iaid, l.mac, l.hostname, l.clientId])).toEqual([
      ['ipv4', '10.0.0.5', null, '52:54:00:aa:bb:01', 'a', null],
      ['ipv6', 'fd00::20', '12345', null, 'b', '00:04:aa:bb'],
      ['ipv6', 'fd00::21', 'T77', null, null, null]
    ])
  })

  it('reports broken lines and keeps the good ones', () => {
    const r = parseLeases(
      'garbage\n17 52:54:00:00:00:01 300.1.1.1 x *\n17 zz 10.0.0.1 x *\n17 52:54:00:00:00:01 10.0.0.2 ok *\n'
    )
    expect(r.leases.map((l) => l.ip)).toEqual(['10.0.0.2'])
    expect(r.problems).toHaveLength(3)
    expect(r.problems[0]).toMatch(/^line 1:/)
  })

  it('accepts a non-Ethernet hardware type prefix', () => {
    const r = parseLeases('100 06-00:11:22:33:44:55 10.1.1.1 h *\n')
    expect(r.leases[0].mac).toBe('06-00:11:22:33:44:55')
  })

  it('reads an empty file as no leases', () => {
    expect(parseLeases('')).toEqual({ leases: [], serverDuid: null, problems: [] })
  })
})
