import { describe, expect, it } from 'vitest'

import { isNoise, parseMonitorLine } from './monitor-line'

// Recorded from `ip -o monitor label route address rule` (iproute2 6.1, Debian 12) in a namespace.
const RECORDED = [
  '[ROUTE]multicast ff00::/8 dev d1 table local proto kernel metric 256 pref medium',
  '[ROUTE]fe80::/64 dev d1 proto kernel metric 256 pref medium',
  '[ADDR]3: d0    inet 10.9.0.2/24 scope global d0\\       valid_lft forever preferred_lft forever',
  '[ROUTE]local 10.9.0.2 dev d0 table local proto kernel scope host src 10.9.0.2 ',
  '[ROUTE]10.9.0.0/24 dev d0 proto kernel scope link src 10.9.0.2 ',
  '[ROUTE]broadcast 10.9.0.255 dev d0 table local proto kernel scope link src 10.9.0.2 ',
  '[ROUTE]10.50.0.0/16 dev d0 table 51820 scope link ',
  '[ROUTE]default via 10.9.0.1 dev d0 ',
  '[ADDR]3: d0    inet6 2001:db8:5::2/64 scope global nodad \\       valid_lft forever preferred_lft forever',
  '[ROUTE]Deleted default via 10.9.0.1 dev d0 ',
  '[RULE]101:\tnot from all fwmark 0xca6c lookup 51820',
  '[RULE]Deleted 100:\tfrom all lookup 100'
]

describe('parseMonitorLine', () => {
  it('reads routes of every table, addresses and rules from the labelled one-line output', () => {
    const got = RECORDED.map(parseMonitorLine).map(
      (e) => e && [e.object, e.deleted, e.family, e.dev, e.dst, e.table, e.routeType]
    )
    expect(got).toEqual([
      ['route', false, 6, 'd1', 'ff00::/8', 'local', 'multicast'],
      ['route', false, 6, 'd1', 'fe80::/64', 'main', 'unicast'],
      ['address', false, 4, 'd0', '10.9.0.2/24', null, null],
      ['route', false, 4, 'd0', '10.9.0.2', 'local', 'local'],
      ['route', false, 4, 'd0', '10.9.0.0/24', 'main', 'unicast'],
      ['route', false, 4, 'd0', '10.9.0.255', 'local', 'broadcast'],
      ['route', false, 4, 'd0', '10.50.0.0/16', '51820', 'unicast'],
      ['route', false, 4, 'd0', 'default', 'main', 'unicast'],
      ['address', false, 6, 'd0', '2001:db8:5::2/64', null, null],
      ['route', true, 4, 'd0', 'default', 'main', 'unicast'],
      ['rule', false, null, null, null, null, null],
      ['rule', true, null, null, null, null, null]
    ])
  })

  it('reads the unlabelled multi-line output too, skipping timestamps and continuation lines', () => {
    const lines = [
      'Timestamp: Sat Nov 28 13:48:51 2026 866063 usec',
      'Deleted 3: wlan0    inet 192.168.1.23/24 brd 192.168.1.255 scope global dynamic wlan0',
      '       valid_lft 86000sec preferred_lft 86000sec',
      'default via inet6 fe80::1 dev wlan0 proto ra metric 1024 pref medium',
      '0:\tfrom all lookup local',
      '',
      '3: d0@d1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default '
    ]
    const got = lines.map(parseMonitorLine).map((e) => e && [e.object, e.deleted, e.family, e.dev, e.dst])
    expect(got).toEqual([
      null,
      ['address', true, 4, 'wlan0', '192.168.1.23/24'],
      null,
      ['route', false, 6, 'wlan0', 'default'],
      ['rule', false, null, null, null],
      null,
      ['link', false, null, 'd0', null]
    ])
  })

  it('names the interface of a link event (an MTU change), so our own bridges are noise', () => {
    const e = parseMonitorLine(
      '[LINK]7: wg0: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1420 qdisc noqueue state UNKNOWN group default'
    )
    expect(e).toMatchObject({ object: 'link', dev: 'wg0' })
    expect(e && isNoise(e, new Set(['wg0']))).toBe(true)
  })

  it('turns a line it cannot place into an event anyway (something changed)', () => {
    expect(parseMonitorLine('[FOO]whatever')).toMatchObject({ object: 'other', text: 'whatever' })
    expect(parseMonitorLine('garbage text here')).toMatchObject({ object: 'route', dst: 'garbage' })
  })
})

describe('isNoise', () => {
  const ours = new Set(['virbr0'])
  const noise = (line: string): boolean => isNoise(parseMonitorLine(line)!, ours)

  it('ignores link-local, multicast, broadcast and our own bridges', () => {
    expect(noise(RECORDED[0])).toBe(true)
    expect(noise(RECORDED[1])).toBe(true)
    expect(noise(RECORDED[5])).toBe(true)
    expect(noise('[ADDR]5: virbr0    inet 192.168.122.1/24 brd 192.168.122.255 scope global virbr0')).toBe(true)
    expect(noise('[ROUTE]192.168.122.0/24 dev virbr0 proto kernel scope link src 192.168.122.1')).toBe(true)
  })

  it('keeps addresses, routes in any table, default routes and rules', () => {
    for (const i of [2, 4, 6, 7, 8, 9, 10]) expect(noise(RECORDED[i])).toBe(false)
  })
})
