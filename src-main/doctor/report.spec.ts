import { describe, expect, it } from 'vitest'

import { diagnose } from './diagnose'
import { commandText, formatDoctorText } from './format-text'
import { killSwitchRuleset, observation } from '../../test/unit-support/observation.fixture'
import { buildReport } from './report'

describe('the report', () => {
  const obs = observation({ nftRuleset: killSwitchRuleset() })
  const report = buildReport(obs, diagnose(obs), [], [])

  it('has the stable version 1 shape', () => {
    expect(Object.keys(report)).toEqual([
      'version',
      'netns',
      'complete',
      'unavailable',
      'checks',
      'findings',
      'applied',
      'actions'
    ])
    expect(report.version).toBe(1)
    expect(Object.keys(report.findings[0]).sort()).toEqual([
      'advice',
      'check',
      'evidence',
      'explanation',
      'fix',
      'id',
      'severity',
      'title'
    ])
    expect(Object.keys(report.findings[0].fix ?? {})).toEqual(['summary', 'commands', 'undo'])
    expect(JSON.parse(JSON.stringify(report))).toEqual(report)
  })

  it('previews the undo of an nft insert with the handles still to come', () => {
    const undo = report.findings.find((f) => f.id.startsWith('nft-drop/forward'))?.fix?.undo ?? []
    expect(undo).toEqual([
      [
        'nft',
        '-j',
        JSON.stringify({
          nftables: [
            { delete: { rule: { family: 'inet', table: 'killswitch', chain: 'forward', handle: '<handle>' } } },
            { delete: { rule: { family: 'inet', table: 'killswitch', chain: 'forward', handle: '<handle>' } } }
          ]
        })
      ]
    ])
  })

  it('reads as text with ids, fix commands and the checks', () => {
    const text = formatDoctorText(report)
    expect(text).toMatch(/^guestnet doctor: 2 errors$/m)
    expect(text).toContain('ERROR  nft-drop/forward-inet-killswitch-forward')
    expect(text).toContain('fix (guestnet doctor --fix nft-drop/forward-inet-killswitch-forward)')
    expect(text).toMatch(/\$ nft -j --echo --handle '\{"nftables"/)
    expect(text).toMatch(/^ {2}problem +nft-drop +other nftables tables/m)
    expect(commandText(['@sysctl', 'net.ipv4.ip_forward', '1'])).toBe('sysctl -w net.ipv4.ip_forward=1')
    const clean = formatDoctorText(buildReport(observation({ netns: 'ns1' }), diagnose(observation()), [], []))
    expect(clean).toMatch(/^guestnet doctor \(network namespace ns1\): no problems found$/m)
  })
})
