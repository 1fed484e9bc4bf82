import { describe, expect, it } from 'vitest'

import type { HostFacts } from '../core/model/host-facts'
import type { NetworkDef } from '../core/model/network'
import type { WatchedNetwork } from './clash-report'
import type { WatchReport } from './clash-watch'
import { watchClashes } from './clash-watch'
import { fakeTimers } from '../../test/unit-support/fake-timers.fixture'
import type { MonitorCallbacks } from '../host/monitor-process'

const def: NetworkDef = {
  name: 'default',
  forward: { mode: 'nat' },
  bridge: { name: 'virbr0' },
  ips: [
    {
      family: 'ipv4',
      address: '192.168.122.1',
      prefix: 24,
      dhcp: { ranges: [{ start: '192.168.122.2', end: '192.168.122.254' }], hosts: [] }
    }
  ]
}
const home: HostFacts = {
  addresses: [
    { ifname: 'wlan0', family: 4, address: '192.168.1.5', prefix: 24 },
    { ifname: 'virbr0', family: 4, address: '192.168.122.1', prefix: 24 }
  ],
  routes: [{ family: 4, dst: '0.0.0.0/0', gateway: '192.168.1.1', dev: 'wlan0', table: 'main' }]
}
const hotel: HostFacts = {
  ...home,
  addresses: [...home.addresses, { ifname: 'wlan0', family: 4, address: '192.168.122.40', prefix: 24 }]
}

describe('watchClashes', () => {
  it('reports a clash when the host moves onto our range, names both sides, and reports it resolved after a renumber', async () => {
    const timers = fakeTimers()
    let facts = home
    let nets: WatchedNetwork[] = [{ def, active: true }]
    let monitor: MonitorCallbacks | null = null
    const reports: WatchReport[] = []
    const w = watchClashes({
      networks: async () => nets,
      readFacts: async () => facts,
      onReport: (r) => void reports.push(r),
      onError: (e) => {
        throw new Error(e)
      },
      startMonitor: (_argv, cb) => {
        monitor = cb
        return { stop: () => undefined }
      },
      timers,
      quietMs: 50
    })
    await w.ready
    expect(reports).toHaveLength(1)
    expect(reports[0].clashes).toEqual([])

    facts = hotel
    monitor!.onLine('[ADDR]3: wlan0    inet 192.168.122.40/24 scope global wlan0')
    await timers.advance(50)
    expect(reports).toHaveLength(2)
    expect(reports[1].appeared.map((c) => [c.network, c.subnet, c.clashes[0].dev, c.suggestion])).toEqual([
      ['default', '192.168.122.0/24', 'wlan0', '192.168.123.0/24']
    ])
    expect(w.current()).toHaveLength(1)

    nets = [{ def: { ...def, ips: [{ ...def.ips[0], address: '192.168.123.1' }] }, active: true }]
    await w.recheck()
    expect(reports[2]).toMatchObject({
      change: null,
      clashes: [],
      appeared: [],
      resolved: [{ network: 'default', subnet: '192.168.122.0/24' }]
    })
    w.stop()
  })
})
