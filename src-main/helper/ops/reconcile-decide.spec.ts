import { describe, expect, it } from 'vitest'

import type { NetworkRecord } from '../../core/plan/network-record'
import { ownerMark, SYSTEM_STORE } from '../../core/store/store-id'
import type { LinkMark, TableMark } from '../state/live-state'
import type { ReconcileObservation } from './reconcile-decide'
import { decideReconcile } from './reconcile-decide'

const OTHER = 'root-0123456789ab'

function record(network: string, bridge: string, extra: Partial<NetworkRecord> = {}): NetworkRecord {
  return {
    version: 2,
    kind: 'journal',
    store: SYSTEM_STORE,
    network,
    uuid: null,
    bridge,
    hostBridge: null,
    tables: [{ family: 'inet', name: `guestnet_${network}` }],
    dnsmasq: { pid: 10, startTime: 123 },
    sysctls: [],
    netns: null,
    nsId: 'net:[1]',
    startedAt: '2026-01-01T00:00:00.000Z',
    ...extra
  }
}

const ours = (network: string): LinkMark => ({ inGroup: true, alias: ownerMark(SYSTEM_STORE, network) })
const table = (network: string, store = SYSTEM_STORE): TableMark => ({
  family: 'inet',
  name: `guestnet_${network}`,
  handle: 1,
  comment: ownerMark(store, network)
})

function obs(patch: Partial<ReconcileObservation> = {}): ReconcileObservation {
  return {
    store: SYSTEM_STORE,
    networks: [],
    journals: new Map(),
    intents: new Map(),
    interfaces: new Set(['lo', 'eth0']),
    links: new Map(),
    tables: [],
    pidfiles: [],
    ledger: { ok: true, owners: [] },
    networkDirs: [],
    nsId: 'net:[1]',
    ...patch
  }
}

const owner = (t: { name: string }): string | null => (t.name.startsWith('guestnet_') ? t.name.slice(9) : null)
const kinds = (o: ReconcileObservation, only?: string): string[] =>
  decideReconcile(o, owner, only).map((a) => `${a.kind}:${a.network}`)
const ledgerOf = (...networks: string[]): ReconcileObservation['ledger'] => ({
  ok: true,
  owners: networks.map((n) => ({ store: SYSTEM_STORE, network: n, bridge: 'virbr1' }))
})

describe('decideReconcile', () => {
  it('keeps a complete running network and touches nothing of it', () => {
    const o = obs({
      networks: [{ name: 'a', bridge: 'virbr1' }],
      journals: new Map([['a', { ok: true, record: record('a', 'virbr1') }]]),
      interfaces: new Set(['virbr1']),
      links: new Map([['virbr1', ours('a')]]),
      tables: [table('a')],
      pidfiles: [{ network: 'a', pidfile: '/run/guestnet/a/dnsmasq.pid', state: 'ours' }],
      ledger: ledgerOf('a'),
      networkDirs: ['a']
    })
    expect(kinds(o)).toEqual(['keep:a'])
  })

  it('tears down the rest of a network whose pieces are partly gone', () => {
    const o = obs({
      journals: new Map([['a', { ok: true, record: record('a', 'virbr1') }]]),
      interfaces: new Set(['virbr1']),
      links: new Map([['virbr1', ours('a')]]),
      tables: [],
      pidfiles: [{ network: 'a', pidfile: '/run/guestnet/a/dnsmasq.pid', state: 'dead' }]
    })
    const actions = decideReconcile(o, owner)
    expect(actions[0]).toMatchObject({ kind: 'teardown-journal', network: 'a' })
    expect(actions[0].why).toMatch(/table inet guestnet_a, dnsmasq gone while bridge virbr1 remain/)
  })

  it("counts a spanning network's VXLAN port as one of its pieces", () => {
    const spanning = record('a', 'virbr1', { vxlan: 'gnvx42' })
    const o = obs({
      networks: [{ name: 'a', bridge: 'virbr1' }],
      journals: new Map([['a', { ok: true, record: spanning }]]),
      interfaces: new Set(['virbr1', 'gnvx42']),
      links: new Map([
        ['virbr1', ours('a')],
        ['gnvx42', ours('a')]
      ]),
      tables: [table('a')],
      pidfiles: [{ network: 'a', pidfile: '/run/guestnet/a/dnsmasq.pid', state: 'ours' }],
      ledger: ledgerOf('a'),
      networkDirs: ['a']
    })
    expect(kinds(o)).toEqual(['keep:a'])
    const gone = obs({ ...o, interfaces: new Set(['virbr1']), links: new Map([['virbr1', ours('a')]]) })
    const actions = decideReconcile(gone, owner)
    expect(actions[0]).toMatchObject({ kind: 'teardown-journal', network: 'a' })
    expect(actions[0].why).toMatch(/VXLAN port gnvx42 gone/)
  })

  it('drops the journal of a network whose pieces are all gone, its sysctls with it', () => {
    const o = obs({ journals: new Map([['a', { ok: true, record: record('a', 'virbr1') }]]), ledger: ledgerOf('a') })
    expect(kinds(o)).toEqual(['drop-journal:a'])
  })

  it('rolls back an interrupted start from its intent, which also releases its sysctls', () => {
    const o = obs({
      intents: new Map([['a', { ok: true, record: record('a', 'virbr1', { kind: 'intent' }) }]]),
      interfaces: new Set(['virbr1']),
      links: new Map([['virbr1', ours('a')]]),
      networks: [{ name: 'a', bridge: 'virbr1' }],
      tables: [table('a')],
      pidfiles: [{ network: 'a', pidfile: '/run/guestnet/a/dnsmasq.pid', state: 'ours' }],
      ledger: ledgerOf('a'),
      networkDirs: ['a']
    })
    expect(kinds(o)).toEqual(['rollback-intent:a', 'remove-network-dir:a'])
  })

  it('cleans up leftovers of this store without any record: its table, its dnsmasq, its bridge', () => {
    const o = obs({
      networks: [{ name: 'a', bridge: 'virbr1' }],
      interfaces: new Set(['virbr1']),
      links: new Map([['virbr1', ours('a')]]),
      tables: [table('a'), { family: 'inet', name: 'filter', handle: 2, comment: null }],
      pidfiles: [{ network: 'a', pidfile: '/run/guestnet/a/dnsmasq.pid', state: 'ours' }]
    })
    expect(kinds(o)).toEqual(['kill-dnsmasq:a', 'delete-table:a', 'delete-bridge:a'])
  })

  it('finds a leftover bridge of this store by its mark even after its network was undefined', () => {
    const o = obs({ interfaces: new Set(['virbr7']), links: new Map([['virbr7', ours('gone')]]) })
    expect(kinds(o)).toEqual(['delete-bridge:gone'])
  })

  it("never touches another store's bridge or table, even of a network of the same name", () => {
    const o = obs({
      networks: [{ name: 'a', bridge: 'virbr1' }],
      interfaces: new Set(['virbr1']),
      links: new Map([['virbr1', { inGroup: true, alias: ownerMark(OTHER, 'a') }]]),
      tables: [table('a', OTHER)]
    })
    const actions = decideReconcile(o, owner)
    expect(actions.map((a) => a.kind)).toEqual(['leave', 'leave'])
    expect(actions.map((a) => a.why).join(' ')).toMatch(new RegExp(`--root store ${OTHER}`))
  })

  it('never touches a bridge guestnet did not create, even if a network of ours names it', () => {
    const o = obs({
      networks: [{ name: 'default', bridge: 'virbr0' }],
      interfaces: new Set(['virbr0']),
      links: new Map([['virbr0', { inGroup: false, alias: null }]])
    })
    const actions = decideReconcile(o, owner)
    expect(actions).toHaveLength(1)
    expect(actions[0]).toMatchObject({ kind: 'leave', network: 'default' })
    expect(actions[0].why).toMatch(/guestnet did not create it/)
  })

  it('never touches tables that are not guestnet_*, or guestnet_* tables without our mark', () => {
    const o = obs({
      tables: [
        { family: 'inet', name: 'filter', handle: 1, comment: null },
        { family: 'ip', name: 'nat', handle: 2, comment: null },
        { family: 'inet', name: 'guestnet_x', handle: 3, comment: null }
      ]
    })
    expect(kinds(o)).toEqual(['leave:x'])
  })

  it('does not kill a process behind a reused pid, only drops the stale file', () => {
    const o = obs({
      pidfiles: [
        { network: 'a', pidfile: '/p', state: 'foreign' },
        { network: 'b', pidfile: '/q', state: 'dead' }
      ]
    })
    expect(kinds(o)).toEqual(['remove-pidfile:a', 'remove-pidfile:b'])
  })

  it('leaves a journal from another namespace alone', () => {
    const o = obs({
      journals: new Map([['a', { ok: true, record: record('a', 'virbr1', { nsId: 'net:[99]' }) }]]),
      ledger: ledgerOf('a')
    })
    expect(kinds(o)).toEqual(['leave:a'])
  })

  it('sets a journal that is not usable aside and treats its pieces as leftovers', () => {
    const o = obs({
      networks: [{ name: 'a', bridge: 'virbr1' }],
      journals: new Map([['a', { ok: false, reason: 'not JSON' }]]),
      interfaces: new Set(['virbr1']),
      links: new Map([['virbr1', ours('a')]]),
      tables: [table('a')]
    })
    expect(kinds(o)).toEqual(['quarantine-journal:a', 'delete-table:a', 'delete-bridge:a'])
  })

  it('releases sysctls of this store only, for networks that no longer run', () => {
    const o = obs({
      ledger: {
        ok: true,
        owners: [
          { store: SYSTEM_STORE, network: 'gone', bridge: 'virbr9' },
          { store: OTHER, network: 'theirs', bridge: 'virbr8' }
        ]
      }
    })
    expect(kinds(o)).toEqual(['release-sysctls:gone'])
  })

  it('repairs a ledger that does not read, whatever network is asked about', () => {
    const o = obs({ ledger: { ok: false, reason: 'not JSON' } })
    expect(kinds(o)).toEqual(['repair-ledger:null'])
    expect(kinds(o, 'a')).toEqual(['repair-ledger:null'])
  })

  it('narrows to one network', () => {
    const o = obs({
      journals: new Map([
        ['a', { ok: true, record: record('a', 'virbr1') }],
        ['b', { ok: true, record: record('b', 'virbr2') }]
      ])
    })
    expect(kinds(o, 'b')).toEqual(['drop-journal:b'])
  })
})
