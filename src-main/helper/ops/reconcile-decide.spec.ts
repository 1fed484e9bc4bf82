import { describe, expect, it } from 'vitest'

import type { Journal } from '../state/journal'
import type { ReconcileObservation } from './reconcile-decide'
import { decideReconcile } from './reconcile-decide'

function journal(network: string, bridge: string, extra: Partial<Journal> = {}): Journal {
  return {
    version: 1,
    kind: 'journal',
    network,
    uuid: null,
    bridge,
    tables: [{ family: 'inet', name: `guestnet_${network}` }],
    pidfile: `/run/guestnet/${network}/dnsmasq.pid`,
    dnsmasqPid: 10,
    sysctls: {},
    netns: null,
    nsId: 'net:[1]',
    startedAt: '2026-01-01T00:00:00.000Z',
    undo: [],
    ...extra
  }
}

function obs(patch: Partial<ReconcileObservation> = {}): ReconcileObservation {
  return {
    networks: [],
    journals: new Map(),
    intents: new Map(),
    interfaces: new Set(['lo', 'eth0']),
    groupBridges: new Set(),
    tables: [],
    pidfiles: [],
    ledgerOwners: [],
    networkDirs: [],
    nsId: 'net:[1]',
    ...patch
  }
}

const owner = (t: { name: string }): string | null => (t.name.startsWith('guestnet_') ? t.name.slice(9) : null)
const kinds = (o: ReconcileObservation, only?: string): string[] =>
  decideReconcile(o, owner, only).map((a) => `${a.kind}:${a.network}`)

describe('decideReconcile', () => {
  it('keeps a complete running network and touches nothing of it', () => {
    const o = obs({
      networks: [{ name: 'a', bridge: 'virbr1' }],
      journals: new Map([['a', { ok: true, journal: journal('a', 'virbr1') }]]),
      interfaces: new Set(['virbr1']),
      groupBridges: new Set(['virbr1']),
      tables: [{ family: 'inet', name: 'guestnet_a' }],
      pidfiles: [{ network: 'a', pidfile: '/run/guestnet/a/dnsmasq.pid', state: 'ours' }],
      ledgerOwners: ['a'],
      networkDirs: ['a']
    })
    expect(kinds(o)).toEqual(['keep:a'])
  })

  it('tears down the rest of a network whose pieces are partly gone', () => {
    const o = obs({
      journals: new Map([['a', { ok: true, journal: journal('a', 'virbr1') }]]),
      interfaces: new Set(['virbr1']),
      tables: [],
      pidfiles: [{ network: 'a', pidfile: '/run/guestnet/a/dnsmasq.pid', state: 'dead' }]
    })
    const actions = decideReconcile(o, owner)
    expect(actions[0]).toMatchObject({ kind: 'teardown-journal', network: 'a' })
    expect(actions[0].why).toMatch(/table inet guestnet_a, dnsmasq gone while bridge virbr1 remain/)
  })

  it('drops the journal of a network whose pieces are all gone (e.g. someone deleted them)', () => {
    const o = obs({ journals: new Map([['a', { ok: true, journal: journal('a', 'virbr1') }]]), ledgerOwners: ['a'] })
    expect(kinds(o)).toEqual(['drop-journal:a', 'release-sysctls:a'])
  })

  it('rolls back an interrupted start from its intent, which also releases its sysctls', () => {
    const o = obs({
      intents: new Map([['a', { ok: true, journal: journal('a', 'virbr1', { kind: 'intent' }) }]]),
      interfaces: new Set(['virbr1']),
      groupBridges: new Set(['virbr1']),
      networks: [{ name: 'a', bridge: 'virbr1' }],
      tables: [{ family: 'inet', name: 'guestnet_a' }],
      pidfiles: [{ network: 'a', pidfile: '/run/guestnet/a/dnsmasq.pid', state: 'ours' }],
      ledgerOwners: ['a'],
      networkDirs: ['a']
    })
    expect(kinds(o)).toEqual(['rollback-intent:a', 'remove-network-dir:a'])
  })

  it('cleans up leftovers without any record: our table, our dnsmasq, a bridge in guestnet’s group', () => {
    const o = obs({
      networks: [{ name: 'a', bridge: 'virbr1' }],
      interfaces: new Set(['virbr1']),
      groupBridges: new Set(['virbr1']),
      tables: [
        { family: 'inet', name: 'guestnet_a' },
        { family: 'inet', name: 'filter' },
        { family: 'ip', name: 'libvirt_network' }
      ],
      pidfiles: [{ network: 'a', pidfile: '/run/guestnet/a/dnsmasq.pid', state: 'ours' }]
    })
    expect(kinds(o)).toEqual(['kill-dnsmasq:a', 'delete-table:a', 'delete-bridge:a'])
  })

  it('never touches a bridge guestnet did not create, even if a network of ours names it', () => {
    const o = obs({
      networks: [{ name: 'default', bridge: 'virbr0' }],
      interfaces: new Set(['virbr0']),
      groupBridges: new Set()
    })
    const actions = decideReconcile(o, owner)
    expect(actions).toHaveLength(1)
    expect(actions[0]).toMatchObject({ kind: 'leave', network: 'default' })
    expect(actions[0].why).toMatch(/guestnet did not create it/)
  })

  it('never touches tables that are not guestnet_*', () => {
    const o = obs({
      tables: [
        { family: 'inet', name: 'filter' },
        { family: 'ip', name: 'nat' },
        { family: 'inet', name: 'libvirt_network' }
      ]
    })
    expect(kinds(o)).toEqual([])
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
      journals: new Map([['a', { ok: true, journal: journal('a', 'virbr1', { nsId: 'net:[99]' }) }]]),
      ledgerOwners: ['a']
    })
    expect(kinds(o)).toEqual(['leave:a'])
  })

  it('sets an unreadable journal aside and treats its pieces as leftovers', () => {
    const o = obs({
      journals: new Map([['a', { ok: false, reason: 'not JSON' }]]),
      tables: [{ family: 'inet', name: 'guestnet_a' }]
    })
    expect(kinds(o)).toEqual(['quarantine-journal:a', 'delete-table:a'])
  })

  it('drops a stale intent next to a complete journal (a crash between journal and intent removal)', () => {
    const o = obs({
      journals: new Map([['a', { ok: true, journal: journal('a', 'virbr1', { pidfile: null, tables: [] }) }]]),
      intents: new Map([['a', { ok: true, journal: journal('a', 'virbr1', { kind: 'intent' }) }]]),
      interfaces: new Set(['virbr1'])
    })
    expect(kinds(o)).toEqual(['keep:a', 'drop-intent:a'])
  })

  it('can be narrowed to one network (what start does before starting)', () => {
    const o = obs({
      tables: [
        { family: 'inet', name: 'guestnet_a' },
        { family: 'inet', name: 'guestnet_b' }
      ]
    })
    expect(kinds(o, 'b')).toEqual(['delete-table:b'])
  })

  it('does not judge tables when they could not be listed', () => {
    const o = obs({
      journals: new Map([['a', { ok: true, journal: journal('a', 'virbr1', { pidfile: null }) }]]),
      interfaces: new Set(['virbr1']),
      tables: null
    })
    expect(kinds(o)).toEqual(['keep:a'])
  })
})
