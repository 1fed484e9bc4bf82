import { describe, expect, it } from 'vitest'

import { DOCKER_IPTABLES, UFW_IPTABLES } from '../../../test/unit-support/observation.fixture'
import { acceptsInterface, jumpsTo, parseIptablesRules, ruleOption, splitIptablesLine } from './iptables-rules'

describe('iptables -S parsing', () => {
  it('splits quoted arguments the way iptables-save writes them', () => {
    expect(splitIptablesLine('-A X -m comment --comment "two words \\"q\\"" -j ACCEPT')).toEqual([
      '-A',
      'X',
      '-m',
      'comment',
      '--comment',
      'two words "q"',
      '-j',
      'ACCEPT'
    ])
    expect(splitIptablesLine('-A X --comment ""')).toEqual(['-A', 'X', '--comment', ''])
  })

  it("reads Docker's policies, chains and rules", () => {
    const t = parseIptablesRules(DOCKER_IPTABLES)
    expect(t.policies).toEqual({ INPUT: 'ACCEPT', FORWARD: 'DROP', OUTPUT: 'ACCEPT' })
    expect(t.chains).toContain('DOCKER-USER')
    expect(jumpsTo(t, 'FORWARD', 'DOCKER-USER')).toBe(true)
    expect(jumpsTo(t, 'INPUT', 'DOCKER-USER')).toBe(false)
    expect(acceptsInterface(t, 'FORWARD', '-i', 'docker0')).toBe(true)
    expect(acceptsInterface(t, 'FORWARD', '-i', 'virbr0')).toBe(false)
  })

  it('treats a negated option as absent', () => {
    const t = parseIptablesRules('-A FORWARD ! -i virbr0 -j ACCEPT\n')
    expect(ruleOption(t.rules[0], '-i')).toBeNull()
    expect(acceptsInterface(t, 'FORWARD', '-i', 'virbr0')).toBe(false)
  })

  it('reads ufw', () => {
    const t = parseIptablesRules(UFW_IPTABLES)
    expect(t.policies.INPUT).toBe('DROP')
    expect(t.chains).toContain('ufw-user-input')
  })
})
