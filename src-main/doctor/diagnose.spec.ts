import { describe, expect, it } from 'vitest'

import { diagnose, selectorProblem, selects } from './diagnose'
import { DOCKER_IPTABLES, observation } from '../../test/unit-support/observation.fixture'
import { CHECK_IDS } from './model'

describe('diagnose', () => {
  it('lists every check, ok on a clean host', () => {
    const d = diagnose(observation())
    expect(d.findings).toEqual([])
    expect(d.checks.map((c) => c.check)).toEqual([...CHECK_IDS])
    expect(d.checks.every((c) => c.status === 'ok')).toBe(true)
    expect(d.checks.find((c) => c.check === 'firewalld')?.note).toBe('firewalld is not installed')
  })

  it('puts errors first and marks their checks', () => {
    const obs = observation({
      iptables: [{ family: 4, backend: 'nft', program: 'iptables-nft', rules: DOCKER_IPTABLES }],
      sysctls: { 'net.ipv4.ip_forward': '0', 'net.bridge.bridge-nf-call-iptables': '1' }
    })
    const d = diagnose(obs)
    expect(d.findings.map((f) => [f.id, f.severity])).toEqual([
      ['forwarding/ipv4', 'error'],
      ['iptables-drop/ipv4-nft-forward', 'error'],
      ['br-netfilter', 'warning']
    ])
    expect(d.checks.filter((c) => c.status === 'problem').map((c) => c.check)).toEqual([
      'forwarding',
      'iptables-drop',
      'br-netfilter'
    ])
  })

  it('keeps an ok check whose only finding is a note, and says so in the note (no "ok" beside a contrary note)', () => {
    const d = diagnose(observation({ sysctls: { 'net.bridge.bridge-nf-call-iptables': '1' } }))
    expect(d.findings.map((f) => [f.id, f.severity])).toEqual([['br-netfilter', 'info']])
    const row = d.checks.find((c) => c.check === 'br-netfilter')
    expect(row).toMatchObject({
      status: 'ok',
      title: 'br_netfilter does not push guest-to-guest traffic into a forward drop'
    })
    expect(row?.note).toMatch(/^nothing breaks today; see the note: br_netfilter passes bridged guest traffic/)
  })

  it('says what it could not look at', () => {
    const d = diagnose(observation({ nftRuleset: null, asRoot: false }))
    expect(d.checks.find((c) => c.check === 'nft-drop')).toMatchObject({
      status: 'skipped',
      note: 'only root can list the firewall rules'
    })
  })

  it('selects by all, check or finding id, and refuses other selectors', () => {
    const f = { id: 'nft-drop/forward-inet-k-forward', check: 'nft-drop' }
    expect([selects('all', f), selects('nft-drop', f), selects(f.id, f), selects('forwarding', f)]).toEqual([
      true,
      true,
      true,
      false
    ])
    expect(selectorProblem('all')).toBeNull()
    expect(selectorProblem('nft-drop/forward-inet-k-forward')).toBeNull()
    expect(selectorProblem('rm -rf')).toMatch(/names no check/)
    expect(selectorProblem('nft-drop/a/b')).toMatch(/not a finding id/)
    expect(selectorProblem('nft-drop/$(id)')).toMatch(/not a finding id/)
  })
})
