import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, describe, expect, it } from 'vitest'

import type { EventName } from '../contract/ipc-contract'
import { ClashBoard } from './service/clash-board'
import { parseGuardianLog } from './service/guardian-news'
import { ChangeWatcher } from './watchers'

describe('ChangeWatcher', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gn-watch-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  function setup() {
    const events: { event: EventName; payload: unknown }[] = []
    let host = 'a'
    let states = new Map<string, 'active' | 'inactive' | 'broken'>([['default', 'inactive']])
    const w = new ChangeWatcher({
      emit: (event, payload) => void events.push({ event, payload }),
      networkNames: async () => ['default'],
      leasesFile: (n) => join(dir, `${n}.leases`),
      hostFingerprint: async () => host,
      states: async () => states
    })
    return { w, events, setHost: (h: string) => (host = h), setStates: (s: typeof states) => (states = s) }
  }

  it('announces a lease file that appears or changes, not the first look', async () => {
    const { w, events } = setup()
    await w.checkLeases()
    expect(events).toEqual([])
    writeFileSync(join(dir, 'default.leases'), '0 52:54:00:00:00:01 192.168.122.5 g1 *\n')
    await w.checkLeases()
    expect(events).toEqual([{ event: 'leases:changed', payload: { network: 'default' } }])
    await w.checkLeases()
    expect(events).toHaveLength(1)
  })

  it('tells each new frame of the guardian’s file once, none from before the first look', async () => {
    const file = join(dir, 'guardian.json')
    const frame = (at: string) => ({
      type: 'guardian',
      event: 'restored',
      network: 'default',
      what: 'firewall',
      detail: 'nft table inet guestnet_default was deleted',
      ms: 30,
      at
    })
    writeFileSync(file, JSON.stringify({ frames: [frame('2026-01-01T00:00:01.000Z')] }))
    const told: string[] = []
    const w = new ChangeWatcher({
      emit: () => undefined,
      networkNames: async () => [],
      leasesFile: (n) => join(dir, `${n}.leases`),
      hostFingerprint: async () => '',
      states: async () => new Map(),
      guardian: {
        frames: async () => parseGuardianLog(readFileSync(file, 'utf8')),
        notify: (f) => void told.push(f.at)
      }
    })
    await w.checkGuardian()
    expect(told).toEqual([])
    writeFileSync(
      file,
      JSON.stringify({ frames: [frame('2026-01-01T00:00:01.000Z'), frame('2026-01-01T00:00:09.000Z')] })
    )
    await w.checkGuardian()
    await w.checkGuardian()
    expect(told).toEqual(['2026-01-01T00:00:09.000Z'])
  })

  it("announces a change of the host's networks and of a network's state", async () => {
    const { w, events, setHost, setStates } = setup()
    await w.checkHost()
    await w.checkStates()
    expect(events).toEqual([])
    setHost('b')
    setStates(new Map([['default', 'active']]))
    await w.checkHost()
    await w.checkStates()
    expect(events.map((e) => e.event)).toEqual(['host:networks-changed', 'network:state-changed'])
    expect(events[1].payload).toEqual({ network: 'default', status: 'active' })
  })

  it('checks the clashes again when one of our networks started or stopped (its bridge is ours now)', async () => {
    let states = new Map<string, 'active' | 'inactive' | 'broken'>([['default', 'inactive']])
    const board = new ClashBoard(() => undefined)
    let rechecks = 0
    board.recheck = async () => void rechecks++
    const w = new ChangeWatcher({
      emit: () => undefined,
      networkNames: async () => [],
      leasesFile: (n) => join(dir, `${n}.leases`),
      hostFingerprint: async () => 'a',
      states: async () => states,
      clashes: {
        board,
        networks: async () => [],
        readFacts: async () => ({ addresses: [], routes: [] }),
        pool: async () => undefined
      }
    })
    await w.checkStates()
    await w.checkStates()
    expect(rechecks).toBe(0)
    states = new Map([['default', 'active']])
    await w.checkStates()
    expect(rechecks).toBe(1)
  })
})
