import { describe, expect, it } from 'vitest'

import { killSwitchRuleset } from '../../../test/unit-support/observation.fixture'
import type { NftRule } from './nft-ruleset'
import { isIptablesNftTable, isUnconditional, matchesInterface, parseNftRuleset, ruleVerdict } from './nft-ruleset'

const rule = (expr: unknown[]): NftRule => ({ family: 'inet', table: 't', chain: 'c', handle: 1, expr, comment: null })
const iif = (right: unknown): unknown => ({ match: { op: '==', left: { meta: { key: 'iifname' } }, right } })

describe('nft -j ruleset', () => {
  it('reads tables, base chains and rules', () => {
    const rs = parseNftRuleset(killSwitchRuleset())
    expect(rs.tables.map((t) => t.name)).toEqual(['guestnet_default', 'killswitch'])
    expect(rs.chains.find((c) => c.name === 'forward')).toMatchObject({ hook: 'forward', policy: 'drop', prio: 0 })
    expect(rs.rules).toHaveLength(1)
  })

  it('skips what is not the expected shape', () => {
    expect(parseNftRuleset(null)).toEqual({ tables: [], chains: [], rules: [] })
    expect(
      parseNftRuleset({
        nftables: [1, null, { table: { family: 1 } }, { rule: { family: 'ip', table: 't', chain: 'c' } }]
      }).rules
    ).toEqual([])
  })

  it('finds verdicts and unconditional rules', () => {
    expect(ruleVerdict(rule([iif('x'), { accept: null }]))).toBe('accept')
    expect(ruleVerdict(rule([{ counter: { packets: 0, bytes: 0 } }]))).toBeNull()
    expect(isUnconditional(rule([{ counter: {} }, { drop: null }]))).toBe(true)
    expect(isUnconditional(rule([iif('x'), { drop: null }]))).toBe(false)
  })

  it('matches interface names, sets and wildcards', () => {
    expect(matchesInterface(rule([iif('virbr0')]), 'iifname', 'virbr0')).toBe(true)
    expect(matchesInterface(rule([iif({ set: ['eth0', 'virbr0'] })]), 'iifname', 'virbr0')).toBe(true)
    expect(matchesInterface(rule([iif('virbr*')]), 'iifname', 'virbr3')).toBe(true)
    expect(matchesInterface(rule([iif('virbr0')]), 'oifname', 'virbr0')).toBe(false)
    expect(
      matchesInterface(
        rule([{ match: { op: '!=', left: { meta: { key: 'iifname' } }, right: 'virbr0' } }]),
        'iifname',
        'virbr0'
      )
    ).toBe(false)
  })

  it("recognises iptables-nft's tables", () => {
    const rs = parseNftRuleset({
      nftables: [
        { table: { family: 'ip', name: 'filter' } },
        { chain: { family: 'ip', table: 'filter', name: 'FORWARD', hook: 'forward', policy: 'drop' } },
        { table: { family: 'inet', name: 'filter' } },
        { chain: { family: 'inet', table: 'filter', name: 'forward', hook: 'forward', policy: 'drop' } }
      ]
    })
    expect(isIptablesNftTable(rs, { family: 'ip', name: 'filter' })).toBe(true)
    expect(isIptablesNftTable(rs, { family: 'inet', name: 'filter' })).toBe(false)
  })
})
