import { describe, expect, it } from 'vitest'

import type { HostFacts } from '../core/model/host-facts'
import { fakeTimers } from '../../test/unit-support/fake-timers.fixture'
import type { HostChange } from './host-watcher'
import { watchHostNetworks } from './host-watcher'
import type { MonitorCallbacks, StartMonitor } from '../host/monitor-process'

const base: HostFacts = {
  addresses: [{ ifname: 'uplink0', family: 4, address: '203.0.113.2', prefix: 24 }],
  routes: [{ family: 4, dst: '0.0.0.0/0', gateway: '203.0.113.1', dev: 'uplink0', table: 'main' }]
}

function setup(opts: { cannotStart?: boolean } = {}) {
  const timers = fakeTimers()
  let facts = base
  let reads = 0
  const changes: HostChange[] = []
  const errors: string[] = []
  const monitors: { argv: readonly string[]; cb: MonitorCallbacks; stopped: boolean }[] = []
  const startMonitor: StartMonitor = (argv, cb) => {
    const m = { argv, cb, stopped: false }
    monitors.push(m)
    if (opts.cannotStart) queueMicrotask(() => cb.onEnd('cannot run ip', true))
    return { stop: () => void (m.stopped = true) }
  }
  const w = watchHostNetworks({
    readFacts: async () => {
      reads++
      return facts
    },
    ownDevs: async () => ['virbr0'],
    onChange: (c) => void changes.push(c),
    onError: (e) => void errors.push(e),
    netns: 'gnt-1-1h',
    quietMs: 100,
    maxWaitMs: 1000,
    pollMs: 5000,
    startMonitor,
    timers
  })
  return { w, timers, changes, errors, monitors, setFacts: (f: HostFacts) => (facts = f), reads: () => reads }
}

describe('watchHostNetworks', () => {
  it('reports the first reading, then one debounced change per burst of events', async () => {
    const s = setup()
    await s.w.ready
    expect(s.monitors[0].argv).toEqual([
      'ip',
      '-n',
      'gnt-1-1h',
      '-o',
      'monitor',
      'label',
      'link',
      'route',
      'address',
      'rule'
    ])
    expect(s.changes).toHaveLength(1)
    expect(s.changes[0].initial).toBe(true)

    s.setFacts({ ...base, routes: [...base.routes, { family: 4, dst: '10.50.0.0/16', dev: 'wg0', table: '51820' }] })
    s.monitors[0].cb.onLine('[ROUTE]10.50.0.0/16 dev wg0 table 51820 scope link ')
    s.monitors[0].cb.onLine('[ADDR]7: wg0    inet 10.64.0.2/32 scope global wg0')
    await s.timers.advance(100)
    expect(s.changes).toHaveLength(2)
    expect(s.changes[1].diff).toEqual({ added: ['route 10.50.0.0/16 on wg0 (table 51820)'], removed: [] })
    s.w.stop()
  })

  it('does not re-read for noise or our own bridges, and reports nothing when nothing changed', async () => {
    const s = setup()
    await s.w.ready
    const before = s.reads()
    s.monitors[0].cb.onLine('[ROUTE]multicast ff00::/8 dev gv1 table local proto kernel metric 256 pref medium')
    s.monitors[0].cb.onLine('[ADDR]5: virbr0    inet 192.168.122.1/24 scope global virbr0')
    await s.timers.advance(500)
    expect(s.reads()).toBe(before)
    s.monitors[0].cb.onLine('[RULE]100:\tfrom all lookup 100')
    await s.timers.advance(100)
    expect(s.reads()).toBe(before + 1)
    expect(s.changes).toHaveLength(1)
    s.w.stop()
  })

  it('restarts a monitor that died, and reads again since events were lost', async () => {
    const s = setup()
    await s.w.ready
    s.monitors[0].cb.onEnd("'ip monitor' ended (exit 1)", false)
    expect(s.errors[0]).toMatch(/restarting it in 500 ms/)
    const reads = s.reads()
    await s.timers.advance(500)
    expect(s.monitors).toHaveLength(2)
    await s.timers.advance(100)
    expect(s.reads()).toBe(reads + 1)
    s.w.stop()
    expect(s.monitors[1].stopped).toBe(true)
  })

  it('polls when ip monitor cannot run', async () => {
    const s = setup({ cannotStart: true })
    await s.w.ready
    await Promise.resolve()
    expect(s.errors[0]).toMatch(/polling every 5 s/)
    const reads = s.reads()
    await s.timers.advance(5100)
    expect(s.reads()).toBeGreaterThan(reads)
    s.w.stop()
  })
})
