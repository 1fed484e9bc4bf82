import { describe, expect, it } from 'vitest'

import { natNetwork, observation, UFW_IPTABLES } from '../../../test/unit-support/observation.fixture'
import type { DoctorObservation } from '../model'
import { checkUnderlayFirewall } from './underlay-firewall'

const LAB = natNetwork({
  name: 'lab',
  span: { vni: 4242, port: 4789, underlay: '198.51.100.1', peers: ['198.51.100.2', '198.51.100.3'], mtu: null }
})
const udp4789 = { match: { op: '==', left: { payload: { protocol: 'udp', field: 'dport' } }, right: 4789 } }

/** A hand-written `inet filter` table: its input chain with the given policy and rules. */
function hostTable(policy: string, rules: unknown[][]): unknown {
  return {
    nftables: [
      { table: { family: 'inet', name: 'guestnet_lab' } },
      { chain: { family: 'inet', table: 'guestnet_lab', name: 'input', hook: 'input', policy: 'drop' } },
      { table: { family: 'inet', name: 'filter' } },
      { chain: { family: 'inet', table: 'filter', name: 'input', hook: 'input', type: 'filter', prio: 0, policy } },
      ...rules.map((expr, i) => ({ rule: { family: 'inet', table: 'filter', chain: 'input', handle: 10 + i, expr } }))
    ]
  }
}

const obsWith = (over: Partial<DoctorObservation>): DoctorObservation => observation({ networks: [LAB], ...over })

describe('a firewall dropping the VXLAN port', () => {
  it('an nft rule dropping udp dport 4789 on input: the table and chain, the narrow accept for the peers', () => {
    const [f, ...rest] = checkUnderlayFirewall(
      obsWith({ nftRuleset: hostTable('accept', [[udp4789, { drop: null }]]) })
    )
    expect(rest).toEqual([])
    expect(f).toMatchObject({ check: 'underlay', severity: 'error', fix: null })
    expect(f.id).toBe('underlay/udp4789-nft-input-inet-filter-input')
    expect(f.title).toContain('nftables table inet filter, chain input')
    expect(f.evidence[0]).toContain('rule handle 10 drops udp dport 4789')
    expect(f.advice).toBe(
      'nft insert rule inet filter input ip saddr { 198.51.100.2, 198.51.100.3 } udp dport 4789 accept (or the same allowance in the program that owns this table, which may rewrite it)'
    )
  })

  it('a port set or a range holding 4789 counts; a reject too', () => {
    const inSet = {
      match: { op: '==', left: { payload: { protocol: 'udp', field: 'dport' } }, right: { set: [53, 4789] } }
    }
    const range = {
      match: { op: '==', left: { payload: { protocol: 'udp', field: 'dport' } }, right: { range: [4000, 5000] } }
    }
    expect(checkUnderlayFirewall(obsWith({ nftRuleset: hostTable('accept', [[inSet, { drop: null }]]) }))).toHaveLength(
      1
    )
    expect(
      checkUnderlayFirewall(obsWith({ nftRuleset: hostTable('accept', [[range, { reject: null }]]) }))
    ).toHaveLength(1)
  })

  it('input policy drop with nothing accepting the port is found; with an accept for it, not', () => {
    const [f] = checkUnderlayFirewall(obsWith({ nftRuleset: hostTable('drop', []) }))
    expect(f.evidence[0]).toContain('policy drop, and nothing accepts udp dport 4789')
    expect(checkUnderlayFirewall(obsWith({ nftRuleset: hostTable('drop', [[udp4789, { accept: null }]]) }))).toEqual([])
    // An accept for the port before the drop lets the peers in; after it, not.
    const accept = [udp4789, { accept: null }]
    const drop = [udp4789, { drop: null }]
    expect(checkUnderlayFirewall(obsWith({ nftRuleset: hostTable('accept', [accept, drop]) }))).toEqual([])
    expect(checkUnderlayFirewall(obsWith({ nftRuleset: hostTable('accept', [drop, accept]) }))).toHaveLength(1)
  })

  it("positive controls: an open table, another port dropped, guestnet's own table, a network that does not span", () => {
    const other = { match: { op: '==', left: { payload: { protocol: 'udp', field: 'dport' } }, right: 53 } }
    expect(checkUnderlayFirewall(obsWith({ nftRuleset: hostTable('accept', []) }))).toEqual([])
    expect(checkUnderlayFirewall(obsWith({ nftRuleset: hostTable('accept', [[other, { drop: null }]]) }))).toEqual([])
    expect(checkUnderlayFirewall(observation({ nftRuleset: hostTable('drop', []) }))).toEqual([])
  })

  it('another port in <gn:span port=>: that port is what is looked for', () => {
    const odd = natNetwork({
      name: 'lab',
      span: { vni: 7, port: 8472, underlay: '198.51.100.1', peers: ['198.51.100.2'], mtu: null }
    })
    expect(
      checkUnderlayFirewall(
        observation({ networks: [odd], nftRuleset: hostTable('accept', [[udp4789, { drop: null }]]) })
      )
    ).toEqual([])
  })

  it('iptables: INPUT policy DROP (ufw) without an accept for 4789, and a DROP rule for it; an ACCEPT clears it', () => {
    const ipt = (rules: string): Partial<DoctorObservation> => ({
      iptables: [{ family: 4, backend: 'nft', program: 'iptables-nft', rules }]
    })
    const [f] = checkUnderlayFirewall(obsWith(ipt(UFW_IPTABLES)))
    expect(f).toMatchObject({ id: 'underlay/udp4789-ipv4-nft-input' })
    expect(f.advice).toContain('ufw allow proto udp from 198.51.100.2 to any port 4789')
    const [g] = checkUnderlayFirewall(
      obsWith(ipt('-P INPUT ACCEPT\n-N guard\n-A INPUT -j guard\n-A guard -p udp -m udp --dport 4789 -j DROP\n'))
    )
    expect(g.evidence[0]).toContain('-A guard -p udp -m udp --dport 4789 -j DROP')
    expect(g.advice).toContain('iptables-nft -I guard -s 198.51.100.2 -p udp --dport 4789 -j ACCEPT')
    const before =
      '-P INPUT ACCEPT\n-A INPUT -s 198.51.100.2 -p udp -m udp --dport 4789 -j ACCEPT\n-A INPUT -p udp -m udp --dport 4789 -j DROP\n'
    expect(checkUnderlayFirewall(obsWith(ipt(before)))).toEqual([])
    const open = `${UFW_IPTABLES}-A ufw-user-input -p udp -m udp --dport 4789 -j ACCEPT\n`
    expect(checkUnderlayFirewall(obsWith(ipt(open)))).toEqual([])
  })
})
