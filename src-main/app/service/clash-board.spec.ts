import { describe, expect, it } from 'vitest'

import type { EventName } from '../../contract/ipc-contract'
import { events } from '../../contract/ipc-contract'
import type { NetworkClash } from '../../watch/clash-report'
import type { ClashView } from './clash-board'
import { ClashBoard, clashNotificationText } from './clash-board'

const clash: NetworkClash = {
  network: 'default',
  active: true,
  bridge: 'virbr0',
  subnet: '192.168.122.0/24',
  suggestion: '192.168.123.0/24',
  clashes: [
    {
      subnet: '192.168.122.0/24',
      other: '192.168.122.0/24',
      dev: 'wlan0',
      table: 'local',
      kind: 'address',
      message: '192.168.122.0/24 overlaps 192.168.122.0/24 on wlan0 (address 192.168.122.40/24)'
    }
  ]
}

describe('ClashBoard', () => {
  it('holds the clashes, announces changes as network:clash (valid by the contract) and notifies new ones', () => {
    const sent: { event: EventName; payload: unknown }[] = []
    const notified: ClashView[] = []
    const board = new ClashBoard(
      (event, payload) => void sent.push({ event, payload }),
      (c) => void notified.push(c)
    )
    board.update({ change: null, clashes: [clash], appeared: [clash], resolved: [] })
    expect(board.current()).toEqual([
      {
        network: 'default',
        subnet: '192.168.122.0/24',
        active: true,
        bridge: 'virbr0',
        suggestion: '192.168.123.0/24',
        clashes: [{ overlaps: '192.168.122.0/24', ifname: 'wlan0', table: 'local', message: clash.clashes[0].message }],
        message: 'Network default (192.168.122.0/24) overlaps 192.168.122.0/24 on wlan0 (address 192.168.122.40/24)'
      }
    ])
    expect(sent.map((s) => s.event)).toEqual(['network:clash'])
    expect(events['network:clash'].check(sent[0].payload, '').ok).toBe(true)
    expect(notified.map((c) => c.network)).toEqual(['default'])

    // Nothing new: no event, no notification.
    board.update({ change: null, clashes: [clash], appeared: [], resolved: [] })
    expect(sent).toHaveLength(1)
    board.update({
      change: null,
      clashes: [],
      appeared: [],
      resolved: [{ network: 'default', subnet: '192.168.122.0/24' }]
    })
    expect(sent[1].payload).toEqual({ clashes: [], appeared: [] })
    expect(notified).toHaveLength(1)
  })

  it('writes a notification naming both sides and the way out', () => {
    const board = new ClashBoard(() => undefined)
    board.update({ change: null, clashes: [clash], appeared: [], resolved: [] })
    expect(clashNotificationText(board.current()[0])).toEqual({
      title: 'Network default clashes with 192.168.122.0/24 on wlan0',
      body: "192.168.122.0/24 (guestnet, virbr0) overlaps 192.168.122.0/24 on wlan0: guests may lose the host's network. Click to move it to 192.168.123.0/24."
    })
  })
})
