import { describe, expect, it } from 'vitest'

import { killSwitchRuleset, natNetwork, observation } from '../../../test/unit-support/observation.fixture'
import { checkNftDrop } from './nft-drop'
import { rulesFromEcho, undoOfFact } from '../fix/fix-facts'

const iif = (right: string): unknown => ({ match: { op: '==', left: { meta: { key: 'iifname' } }, right } })
const oif = (right: string): unknown => ({ match: { op: '==', left: { meta: { key: 'oifname' } }, right } })
const rule = (chain: string, handle: number, expr: unknown[]): unknown => ({
  rule: { family: 'inet', table: 'killswitch', chain, handle, expr }
})

function batch(
  argv: readonly string[]
): Array<{ insert: { rule: { family: string; table: string; chain: string; comment: string; expr: unknown[] } } }> {
  expect(argv.slice(0, 4)).toEqual(['nft', '-j', '--echo', '--handle'])
  return (JSON.parse(argv[4]) as { nftables: never[] }).nftables
}

describe('nft-drop', () => {
  it("finds a kill switch's forward and input drops and fixes them inside that table", () => {
    const found = checkNftDrop(observation({ nftRuleset: killSwitchRuleset() }))
    expect(found.map((f) => f.id)).toEqual([
      'nft-drop/input-inet-killswitch-input',
      'nft-drop/forward-inet-killswitch-forward'
    ])
    const fwd = found[1]
    expect(fwd.severity).toBe('error')
    expect(fwd.explanation).toMatch(/even at a higher priority, cannot override this drop/)
    const cmd = fwd.fix?.commands[0]
    expect(cmd?.undoFromEcho).toBe(true)
    expect(batch(cmd?.argv ?? [])).toEqual([
      {
        insert: {
          rule: {
            family: 'inet',
            table: 'killswitch',
            chain: 'forward',
            comment: 'guestnet-doctor',
            expr: [iif('virbr0'), { accept: null }]
          }
        }
      },
      {
        insert: {
          rule: {
            family: 'inet',
            table: 'killswitch',
            chain: 'forward',
            comment: 'guestnet-doctor',
            expr: [oif('virbr0'), { accept: null }]
          }
        }
      }
    ])
    const input = batch(found[0].fix?.commands[0].argv ?? []).map((b) => b.insert.rule.expr)
    expect(input).toHaveLength(3)
    expect(input[0]).toEqual([
      iif('virbr0'),
      { match: { op: '==', left: { payload: { protocol: 'udp', field: 'dport' } }, right: 67 } },
      { accept: null }
    ])
  })

  it('finds a chain that ends in an unconditional drop, even with policy accept', () => {
    const rs = {
      nftables: [
        { table: { family: 'ip', name: 'vpn' } },
        { chain: { family: 'ip', table: 'vpn', name: 'fw', hook: 'forward', policy: 'accept' } },
        { rule: { family: 'ip', table: 'vpn', chain: 'fw', handle: 4, expr: [{ counter: {} }, { drop: null }] } }
      ]
    }
    const [f] = checkNftDrop(observation({ nftRuleset: rs }))
    expect(f.evidence[0]).toMatch(/ends with an unconditional drop/)
  })

  it('leaves alone our tables, firewalld, iptables-nft tables and other hooks', () => {
    const rs = {
      nftables: [
        { chain: { family: 'inet', table: 'guestnet_x', name: 'forward', hook: 'forward', policy: 'drop' } },
        { chain: { family: 'inet', table: 'firewalld', name: 'filter_FORWARD', hook: 'forward', policy: 'drop' } },
        { table: { family: 'ip', name: 'filter' } },
        { chain: { family: 'ip', table: 'filter', name: 'FORWARD', hook: 'forward', policy: 'drop' } },
        { chain: { family: 'inet', table: 't', name: 'pre', hook: 'prerouting', policy: 'drop' } },
        { chain: { family: 'bridge', table: 't', name: 'fw', hook: 'forward', policy: 'drop' } }
      ]
    }
    expect(checkNftDrop(observation({ nftRuleset: rs }))).toEqual([])
  })

  it("finds an output drop (a kill switch that stops the host's DHCP and DNS answers) and accepts only what goes to our bridge", () => {
    const out = { chain: { family: 'inet', table: 'ks', name: 'out', hook: 'output', policy: 'drop' } }
    const found = checkNftDrop(observation({ nftRuleset: { nftables: [out] } }))
    expect(found.map((f) => f.id)).toEqual(['nft-drop/output-inet-ks-out'])
    expect(found[0].evidence).toContain("nothing accepts the host's answers (DHCP, DNS) to virbr0")
    const [insert] = batch(found[0].fix?.commands[0].argv ?? [])
    expect(insert.insert.rule.expr).toEqual([oif('virbr0'), { accept: null }])
    const accepted = {
      rule: { family: 'inet', table: 'ks', chain: 'out', handle: 5, expr: [oif('virbr0'), { accept: null }] }
    }
    expect(checkNftDrop(observation({ nftRuleset: { nftables: [out, accepted] } }))).toEqual([])
    // An isolated network without DHCP or DNS needs nothing from the host.
    const quiet = observation({ nftRuleset: { nftables: [out] }, networks: [natNetwork({ dhcp4: false, dns: false })] })
    expect(checkNftDrop(quiet)).toEqual([])
  })

  it('finds nothing when the chain already accepts our bridge, or when nothing is known', () => {
    const accepted = killSwitchRuleset([
      rule('forward', 10, [iif('virbr*'), { accept: null }]),
      rule('forward', 11, [oif('virbr0'), { counter: {} }, { accept: null }]),
      rule('input', 12, [iif('virbr0'), { accept: null }])
    ])
    expect(checkNftDrop(observation({ nftRuleset: accepted }))).toEqual([])
    expect(checkNftDrop(observation({ nftRuleset: null }))).toEqual([])
  })

  it('does not ask the input hook for anything when no dnsmasq runs', () => {
    const found = checkNftDrop(
      observation({ nftRuleset: killSwitchRuleset(), networks: [natNetwork({ dhcp4: false, dns: false })] })
    )
    expect(found.map((f) => f.id)).toEqual(['nft-drop/forward-inet-killswitch-forward'])
  })

  it('names odd table and chain names safely in the id, and passes them exactly in JSON', () => {
    const rs = {
      nftables: [{ chain: { family: 'inet', table: 'my table', name: 'fwd', hook: 'forward', policy: 'drop' } }]
    }
    const [f] = checkNftDrop(observation({ nftRuleset: rs }))
    expect(f.id).toBe('nft-drop/forward-inet-my_20table-fwd')
    expect(batch(f.fix?.commands[0].argv ?? [])[0].insert.rule.table).toBe('my table')
  })

  it('turns nft --echo --handle output into the exact undo', () => {
    const echo = JSON.stringify({
      nftables: [
        { insert: { rule: { family: 'inet', table: 'killswitch', chain: 'forward', expr: [], handle: 7 } } },
        { insert: { rule: { family: 'inet', table: 'killswitch', chain: 'forward', expr: [], handle: 8 } } }
      ]
    })
    expect(undoOfFact({ kind: 'nft-rules', rules: rulesFromEcho(echo) })[0]).toEqual([
      'nft',
      '-j',
      JSON.stringify({
        nftables: [
          { delete: { rule: { family: 'inet', table: 'killswitch', chain: 'forward', handle: 7 } } },
          { delete: { rule: { family: 'inet', table: 'killswitch', chain: 'forward', handle: 8 } } }
        ]
      })
    ])
    expect(rulesFromEcho('not json')).toEqual([])
    expect(rulesFromEcho('{"nftables":[]}')).toEqual([])
  })
})
