import { describe, expect, it } from 'vitest'

import type { HostFacts } from '../model/host-facts'
import type { NetworkDef } from '../model/network'
import { buildPlan } from './build-plan'
import { parseRecord, recordOfPlan, undoOfRecord } from './network-record'

const PATHS = { runtimeDir: '/run/guestnet', stateDir: '/var/lib/guestnet' }
const ctx = { store: 'system', uuid: null, netns: null, nsId: null, now: new Date(0) }

function spanning(mtu?: number): NetworkDef {
  return {
    name: 'lab',
    forward: { mode: 'nat' },
    bridge: { name: 'virbr5' },
    mac: '52:54:00:05:05:01',
    ...(mtu !== undefined ? { mtu } : {}),
    ips: [
      {
        family: 'ipv4',
        address: '192.168.50.1',
        prefix: 24,
        dhcp: { ranges: [{ start: '192.168.50.10', end: '192.168.50.39' }], hosts: [] }
      }
    ],
    guestnet: {
      span: { vni: 7, underlay: '198.51.100.1', slice: { part: 3, of: 3 }, peers: [{ address: '198.51.100.2' }] }
    }
  }
}

const wg: HostFacts = {
  addresses: [{ ifname: 'wg0', family: 4, address: '198.51.100.1', prefix: 24 }],
  routes: [],
  links: [{ ifname: 'wg0', mtu: 1420 }]
}

describe('a spanning network in the plan', () => {
  it('adds the VXLAN port after the bridge, at the underlay MTU less 50, bridge and guests at the same', () => {
    const plan = buildPlan(spanning(), { paths: PATHS, hostFacts: wg })
    const step = plan.steps.find((s) => s.id === 'span')
    expect(step?.after).toEqual(['bridge'])
    expect(step?.apply[0]).toEqual(
      'ip link add gnvx7 mtu 1370 group 26478 type vxlan id 7 local 198.51.100.1 dstport 4789'.split(' ')
    )
    expect(step?.apply).toContainEqual('bridge fdb append 00:00:00:00:00:00 dev gnvx7 dst 198.51.100.2'.split(' '))
    expect(plan.artifacts['ip.batch']).toContain('link add name virbr5 mtu 1370 ')
    expect(plan.dnsmasqConf).toContain('dhcp-option=option:mtu,1370\n')
  })

  it("keeps a smaller <mtu> of the definition's for the bridge and guests", () => {
    const plan = buildPlan(spanning(1300), { paths: PATHS, hostFacts: wg })
    expect(plan.artifacts['ip.batch']).toContain('mtu 1300 ')
    expect(plan.steps.find((s) => s.id === 'span')?.apply[0]).toContain('1370')
  })

  it("serves this host's slice, and the others' only to renewals", () => {
    const conf = buildPlan(spanning(), { paths: PATHS }).dnsmasqConf
    expect(conf).toContain(
      [
        'dhcp-match=set:gn-renew,53,3b',
        'dhcp-range=192.168.50.30,192.168.50.39,255.255.255.0',
        'dhcp-range=tag:gn-renew,192.168.50.10,192.168.50.19,255.255.255.0',
        'dhcp-range=tag:gn-renew,192.168.50.20,192.168.50.29,255.255.255.0'
      ].join('\n')
    )
    expect(conf).toContain('dhcp-authoritative')
  })

  it('admits VXLAN only from the peers and keeps the gateway off the VXLAN port', () => {
    const nft = buildPlan(spanning(), { paths: PATHS }).nftRuleset
    expect(nft).toContain('ip daddr 198.51.100.1 udp dport 4789 ip saddr != { 198.51.100.2 } drop')
    expect(nft).toContain('create table bridge guestnet_lab')
    expect(nft).toContain('oifname "gnvx7" arp daddr ip 192.168.50.1 drop')
    expect(nft).toContain('iifname "gnvx7" udp dport { 67, 68 } drop')
  })

  it('a network without a span has no span step and no bridge table', () => {
    const def = spanning()
    delete def.guestnet
    const plan = buildPlan(def, { paths: PATHS })
    expect(plan.steps.map((s) => s.id)).not.toContain('span')
    expect(plan.tables.map((t) => t.family)).toEqual(['inet'])
  })

  it('the record keeps the VXLAN port; stop deletes it before the bridge', () => {
    const record = recordOfPlan('journal', buildPlan(spanning(), { paths: PATHS }), ctx)
    expect(record.vxlan).toBe('gnvx7')
    const undo = undoOfRecord(record, PATHS)
    const steps = undo.map((s) => s.step)
    expect(steps.indexOf('span')).toBeLessThan(steps.indexOf('bridge'))
    expect(undo.find((s) => s.step === 'span')?.commands).toEqual([['@delete-vxlan', 'gnvx7']])
  })

  it("a record whose VXLAN port is not one of guestnet's names is refused as a whole", () => {
    const record = recordOfPlan('journal', buildPlan(spanning(), { paths: PATHS }), ctx)
    const expect_ = { network: 'lab', store: 'system' }
    expect(parseRecord(JSON.stringify(record), expect_).ok).toBe(true)
    for (const vxlan of ['eth0', 'gnvx0', 'gnvx1 x', 7]) {
      expect(parseRecord(JSON.stringify({ ...record, vxlan }), expect_).ok, String(vxlan)).toBe(false)
    }
  })
})
