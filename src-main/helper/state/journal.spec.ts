import { describe, expect, it } from 'vitest'

import type { Plan } from '../../core/model/plan'
import { undoFor } from '../apply-plan'
import { formatJournal, journalFromPlan, parseJournal, pidfileOfPlan, tablesOfRuleset } from './journal'

const plan: Plan = {
  network: 'default',
  bridge: 'virbr0',
  steps: [
    {
      id: 'bridge',
      title: 'b',
      apply: [['ip', '-batch', '/run/guestnet/default/ip.batch']],
      rollback: [['ip', 'link', 'del', 'virbr0']]
    },
    {
      id: 'dnsmasq',
      title: 'd',
      apply: [['dnsmasq', '--conf-file=/run/guestnet/default/dnsmasq.conf']],
      rollback: [['@kill-pidfile', '/run/guestnet/default/dnsmasq.pid']]
    }
  ],
  artifacts: {},
  dnsmasqConf: '',
  nftRuleset:
    'table inet guestnet_default {}\ndelete table inet guestnet_default\ntable inet guestnet_default {\n  chain input {\n  }\n}\n',
  sysctls: { 'net.ipv4.ip_forward': '1' }
}

describe('journal', () => {
  it('finds the tables a ruleset creates, once each, ignoring the delete line', () => {
    expect(tablesOfRuleset(plan.nftRuleset)).toEqual([{ family: 'inet', name: 'guestnet_default' }])
    expect(tablesOfRuleset('')).toEqual([])
  })

  it('finds the dnsmasq pid file from the plan’s rollback', () => {
    expect(pidfileOfPlan(plan)).toBe('/run/guestnet/default/dnsmasq.pid')
    expect(pidfileOfPlan({ ...plan, steps: plan.steps.slice(0, 1) })).toBeNull()
  })

  it('round-trips and records the undo last step first', () => {
    const j = journalFromPlan(
      'journal',
      plan,
      undoFor(plan.steps),
      { uuid: 'u', netns: 'gn', nsId: 'net:[1]', now: new Date(0) },
      42
    )
    expect(j.undo.map((u) => u.step)).toEqual(['dnsmasq', 'bridge'])
    const back = parseJournal(formatJournal(j))
    expect(back).toEqual({ ok: true, journal: j })
  })

  it('rejects files that are not a journal it wrote', () => {
    const good = journalFromPlan('journal', plan, undoFor(plan.steps), {
      uuid: null,
      netns: null,
      nsId: null,
      now: new Date(0)
    })
    const bad = (patch: Record<string, unknown>): boolean => parseJournal(JSON.stringify({ ...good, ...patch })).ok
    expect(parseJournal('nope').ok).toBe(false)
    expect(bad({ version: 2 })).toBe(false)
    expect(bad({ kind: 'other' })).toBe(false)
    expect(bad({ undo: [{ step: 's', title: 't', commands: [[]] }] })).toBe(false)
    expect(bad({ undo: [{ step: 's', title: 't', commands: [[1]] }] })).toBe(false)
    expect(bad({ dnsmasqPid: -3 })).toBe(false)
    expect(bad({ tables: [{ family: 'inet' }] })).toBe(false)
    expect(bad({})).toBe(true)
  })
})
