import { describe, expect, it } from 'vitest'

import { fakeTimers } from '../../test/unit-support/fake-timers.fixture'
import type { MonitorCallbacks } from '../host/monitor-process'
import { neighLineDevice, neighMonitorArgv, watchNeighbours } from './neigh-watch'

describe('neighMonitorArgv', () => {
  it('watches the neighbour table, in a namespace when given one, and refuses a bad namespace name', () => {
    expect(neighMonitorArgv()).toEqual(['ip', '-o', 'monitor', 'neigh'])
    expect(neighMonitorArgv('gn-sbx-host')).toEqual(['ip', '-n', 'gn-sbx-host', '-o', 'monitor', 'neigh'])
    expect(() => neighMonitorArgv('../etc')).toThrow()
  })
})

describe('neighLineDevice', () => {
  it("finds the interface of ip monitor's neighbour lines", () => {
    expect(neighLineDevice('fd00:1::50 dev virbr0 lladdr 52:54:00:12:34:56 REACHABLE')).toBe('virbr0')
    expect(neighLineDevice('Deleted 192.168.122.50 dev virbr0 lladdr 52:54:00:12:34:56 STALE')).toBe('virbr0')
    expect(neighLineDevice('miss 192.168.122.9 STALE')).toBeNull()
  })
})

describe('watchNeighbours', () => {
  it('tells each network of ours once per burst, ignoring other interfaces, and stops its monitor', async () => {
    const t = fakeTimers()
    let cb: MonitorCallbacks | null = null
    let stopped = false
    const changed: string[] = []
    const w = watchNeighbours({
      bridges: async () =>
        new Map([
          ['virbr0', 'default'],
          ['virbr1', 'lab']
        ]),
      onChange: (n) => changed.push(n),
      start: (argv, callbacks) => {
        expect(argv).toEqual(['ip', '-n', 'gn-sbx-host', '-o', 'monitor', 'neigh'])
        cb = callbacks
        return { stop: () => void (stopped = true) }
      },
      netns: 'gn-sbx-host',
      timers: t
    })
    const line = (l: string): void => (cb as MonitorCallbacks | null)?.onLine(l)
    line('fe80::1 dev virbr0 lladdr 52:54:00:12:34:56 STALE')
    line('fd00::1 dev virbr0 lladdr 52:54:00:12:34:56 REACHABLE')
    line('10.0.0.1 dev wlan0 lladdr 00:11:22:33:44:55 REACHABLE')
    await t.advance(100)
    expect(changed).toEqual([])
    await t.advance(300)
    expect(changed).toEqual(['default'])
    line('192.168.123.5 dev virbr1 lladdr 52:54:00:00:00:01 REACHABLE')
    await t.advance(400)
    expect(changed).toEqual(['default', 'lab'])
    w.stop()
    expect(stopped).toBe(true)
  })
})
