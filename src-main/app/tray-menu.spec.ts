import { describe, expect, it, vi } from 'vitest'

import type { ChannelOutput } from '../contract/ipc-contract'
import type { TrayActions } from './tray-menu'
import { trayMenu } from './tray-menu'

type Summary = ChannelOutput<'network:list'>[number]
const net = (name: string, status: Summary['status'], guests = 0): Summary => ({
  name,
  status,
  guests,
  reason: null,
  file: null,
  uuid: null,
  mode: 'nat',
  bridge: 'virbr0',
  ipv4: null,
  dhcp4: null,
  ipv6: null,
  domain: null,
  autostart: false,
  isDefault: false
})

describe('trayMenu', () => {
  it("shows each network's state and offers only the start or stop that applies", () => {
    const a: TrayActions = {
      list: vi.fn(),
      start: vi.fn(async () => {}),
      stop: vi.fn(async () => {}),
      open: vi.fn(),
      quit: vi.fn()
    }
    const items = trayMenu([net('default', 'active', 2), net('lab', 'inactive'), net('old', 'broken')], a)
    expect(items.map((i) => i.label ?? i.type)).toEqual([
      'Open guestnet',
      'separator',
      'default: active (2 guests)',
      'lab: inactive',
      'old: broken',
      'separator',
      'Quit guestnet'
    ])
    const sub = (i: number) => items[i].submenu as { label: string; enabled: boolean; click: () => void }[]
    expect(sub(2).map((s) => [s.label, s.enabled])).toEqual([
      ['Start default', false],
      ['Stop default', true]
    ])
    expect(sub(3).map((s) => s.enabled)).toEqual([true, false])
    expect(sub(4).map((s) => s.enabled)).toEqual([false, false])
    sub(3)[0].click()
    expect(a.start).toHaveBeenCalledWith('lab')
  })
})
