import { describe, expect, it } from 'vitest'

import { defaultNet, PATHS } from '../../../test/unit-support/plan-defs.fixture'
import { buildPlan } from './build-plan'
import { chooseZone } from './firewalld-zone'
import { parseRecord, recordOfPlan, undoOfRecord } from './network-record'
import { PlanError } from './plan-error'

const ZONES = ['block', 'public', 'trusted', 'work']
const zoned = (zone?: string) => defaultNet({ bridge: { name: 'virbr0', ...(zone ? { zone } : {}) } })

describe('chooseZone', () => {
  it('puts the bridge in the zone the definition names, when firewalld has it', () => {
    expect(chooseZone(zoned('trusted'), ZONES)).toEqual({ zone: 'trusted', note: null })
  })

  it('refuses a zone firewalld does not have, naming the field and the fix', () => {
    const err = (() => {
      try {
        chooseZone(zoned('lab'), ZONES)
      } catch (e) {
        return e
      }
      return null
    })()
    expect(err).toBeInstanceOf(PlanError)
    expect((err as PlanError).field).toBe('bridge.zone')
    expect((err as PlanError).message).toContain("no zone 'lab'")
    expect((err as PlanError).fix).toContain('--new-zone=lab')
  })

  it("without a named zone: guestnet's zone, else libvirt's, else none", () => {
    expect(chooseZone(zoned(), [...ZONES, 'libvirt', 'guestnet']).zone).toBe('guestnet')
    expect(chooseZone(zoned(), [...ZONES, 'libvirt']).zone).toBe('libvirt')
    expect(chooseZone(zoned(), ZONES)).toEqual({ zone: null, note: null })
  })

  it('without firewalld: no zone, and a note only when the definition named one', () => {
    expect(chooseZone(zoned(), null)).toEqual({ zone: null, note: null })
    const c = chooseZone(zoned('trusted'), null)
    expect(c.zone).toBeNull()
    expect(c.note).toMatch(/firewalld is not running: bridge virbr0 is not in zone trusted/)
  })

  it("never zones the host's bridge", () => {
    const def = defaultNet({ forward: { mode: 'bridge' }, bridge: { name: 'br0', zone: 'trusted' }, ips: [] })
    expect(chooseZone(def, ZONES).zone).toBeNull()
  })
})

describe('the zone step, the record and its undo', () => {
  const ctx = { store: 'system', uuid: null, netns: null, nsId: null, now: new Date(0) }

  it('a plan puts the bridge in the zone after making it, and rolls back by taking it out', () => {
    const plan = buildPlan(zoned('trusted'), { paths: PATHS, firewalldZones: ZONES })
    const step = plan.steps.find((s) => s.id === 'zone')
    expect(step?.apply).toEqual([['@firewalld-zone', 'virbr0', 'trusted']])
    expect(step?.rollback).toEqual([['@firewalld-unzone', 'virbr0', 'trusted']])
    expect(step?.after).toEqual(['bridge'])
  })

  it('no firewalld, no zone step (the plan is what it was)', () => {
    const plain = buildPlan(zoned('trusted'), { paths: PATHS })
    expect(plain.steps.map((s) => s.id)).not.toContain('zone')
    expect(buildPlan(zoned('trusted'), { paths: PATHS, firewalldZones: null })).toEqual(plain)
  })

  it('the record keeps the zone; stop takes the bridge out before deleting it', () => {
    const plan = buildPlan(zoned('trusted'), { paths: PATHS, firewalldZones: ZONES })
    const record = recordOfPlan('journal', plan, ctx)
    expect(record.zone).toBe('trusted')
    const undo = undoOfRecord(record, PATHS).map((s) => s.step)
    expect(undo.indexOf('zone')).toBeGreaterThan(-1)
    expect(undo.indexOf('zone')).toBeLessThan(undo.indexOf('bridge'))
    expect(undoOfRecord(record, PATHS).find((s) => s.step === 'zone')?.commands).toEqual([
      ['@firewalld-unzone', 'virbr0', 'trusted']
    ])
  })

  it('a record without a zone (earlier versions) has no zone undo', () => {
    const record = recordOfPlan('journal', buildPlan(zoned(), { paths: PATHS }), ctx)
    expect('zone' in record).toBe(false)
    expect(undoOfRecord(record, PATHS).map((s) => s.step)).not.toContain('zone')
  })

  it('a record whose zone is not a zone name is refused as a whole', () => {
    const record = recordOfPlan('journal', buildPlan(zoned(), { paths: PATHS }), ctx)
    const good = parseRecord(JSON.stringify({ ...record, zone: 'trusted' }), { network: 'default', store: 'system' })
    expect(good.ok).toBe(true)
    for (const zone of ['a b', 'x;reboot', 'string:evil', 7, 'z'.repeat(18)]) {
      const bad = parseRecord(JSON.stringify({ ...record, zone }), { network: 'default', store: 'system' })
      expect(bad.ok, String(zone)).toBe(false)
    }
  })
})
