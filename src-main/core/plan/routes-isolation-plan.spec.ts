/** The plan's side of <route> (ip batch lines) and <port isolated='yes'/> (a bridge-family table). */
import { describe, expect, it } from 'vitest'

import { buildPlan } from './build-plan'
import { renderIpBatches } from './ip-batch'
import { analyseNetwork } from './network-shape'
import { nftTablesOf, renderNftRuleset } from './nft-ruleset'
import { defaultNet, PATHS, ULA, v4, v6 } from '../../../test/unit-support/plan-defs.fixture'

const MARK = 'guestnet:system:default'

describe('static routes in the ip batch', () => {
  it('IPv4 only: after the addresses and link up, in the one file, with metric', () => {
    const def = defaultNet({
      routes: [
        { family: 'ipv4', address: '10.20.0.0', prefix: 16, gateway: '192.168.122.2' },
        { family: 'ipv4', address: '10.21.0.0', prefix: 24, gateway: '192.168.122.3', metric: 7 }
      ]
    })
    const lines = renderIpBatches(analyseNetwork(def), MARK).link.trimEnd().split('\n')
    expect(lines.slice(-3)).toEqual([
      'link set dev virbr0 up',
      'route add 10.20.0.0/16 via 192.168.122.2 dev virbr0',
      'route add 10.21.0.0/24 via 192.168.122.3 dev virbr0 metric 7'
    ])
  })

  it('dual stack: every route goes in the ip6 batch, after the addresses (canonical IPv6 spelling)', () => {
    const def = defaultNet({
      ips: [v4('192.168.122.1', 24), v6(ULA, 64)],
      routes: [
        { family: 'ipv6', address: 'FD99:0::', prefix: 64, gateway: 'fd12:3456:789a:1:0::2' },
        { family: 'ipv4', address: '10.20.0.0', prefix: 16, gateway: '192.168.122.2' }
      ]
    })
    const b = renderIpBatches(analyseNetwork(def), MARK)
    expect(b.link).not.toContain('route')
    expect(b.addresses?.trimEnd().split('\n').slice(-3)).toEqual([
      'link set dev virbr0 up',
      'route add fd99::/64 via fd12:3456:789a:1::2 dev virbr0',
      'route add 10.20.0.0/16 via 192.168.122.2 dev virbr0'
    ])
  })

  it('the bridge step that runs the batch also removes the routes: ip link del of the bridge', () => {
    const plan = buildPlan(
      defaultNet({ routes: [{ family: 'ipv4', address: '10.20.0.0', prefix: 16, gateway: '192.168.122.2' }] }),
      { paths: PATHS }
    )
    const bridge = plan.steps.find((s) => s.id === 'bridge')
    expect(bridge?.apply[0]).toEqual(['ip', '-batch', '/run/guestnet/default/ip.batch'])
    expect(bridge?.rollback).toEqual([['@delete-bridge', 'virbr0']])
    expect(plan.artifacts['ip.batch']).toContain('route add 10.20.0.0/16')
  })
})

describe("<port isolated='yes'/>", () => {
  it('adds a bridge table whose forward chain drops what is switched between ports of this bridge', () => {
    const shape = analyseNetwork(defaultNet({ port: { isolated: true } }))
    const ruleset = renderNftRuleset(shape, MARK)
    expect(nftTablesOf(shape)).toEqual(['inet guestnet_default', 'bridge guestnet_default'])
    const bridgeTable = ruleset.slice(ruleset.indexOf('table bridge guestnet_default {\n'))
    expect(bridgeTable).toContain('type filter hook forward priority filter; policy accept;')
    expect(bridgeTable).toContain('meta ibrname "virbr0" meta obrname "virbr0" drop')
    expect(ruleset).toContain(`create table bridge guestnet_default { comment "${MARK}"; }\n`)
    // Same-bridge traffic that br_netfilter hands to the IP hooks is dropped there too.
    expect(ruleset).toContain('\t\toifname "virbr0" drop\n')
    expect(ruleset).not.toContain('\t\toifname "virbr0" accept\n')
  })

  it('without it (or with isolated=no) there is no bridge table and guests reach each other', () => {
    for (const port of [undefined, { isolated: false }]) {
      const shape = analyseNetwork(defaultNet(port ? { port } : {}))
      expect(nftTablesOf(shape)).toEqual(['inet guestnet_default'])
      expect(renderNftRuleset(shape, MARK)).toContain('\t\toifname "virbr0" accept\n')
    }
  })

  it('the firewall step loads and removes both tables; an open network gets the bridge table only', () => {
    const nat = buildPlan(defaultNet({ port: { isolated: true } }), { paths: PATHS })
    expect(nat.steps.find((s) => s.id === 'firewall')?.rollback).toEqual([
      ['@delete-table', 'inet', 'guestnet_default'],
      ['@delete-table', 'bridge', 'guestnet_default']
    ])
    const open = buildPlan(defaultNet({ forward: { mode: 'open' }, port: { isolated: true } }), { paths: PATHS })
    expect(open.steps.find((s) => s.id === 'firewall')?.rollback).toEqual([
      ['@delete-table', 'bridge', 'guestnet_default']
    ])
    expect(open.nftRuleset).not.toContain('table inet')
    const plainOpen = buildPlan(defaultNet({ forward: { mode: 'open' } }), { paths: PATHS })
    expect(plainOpen.steps.map((s) => s.id)).not.toContain('firewall')
  })

  it("a kernel without nft bridge meta: no bridge table, the kernel's per-port flag instead", () => {
    const plan = buildPlan(defaultNet({ port: { isolated: true } }), { paths: PATHS, portIsolation: 'kernel' })
    expect(plan.tables).toEqual([{ family: 'inet', name: 'guestnet_default' }])
    expect(plan.nftRuleset).not.toContain('table bridge')
    expect(plan.nftRuleset).toContain('\t\toifname "virbr0" drop\n')
    const ports = plan.steps.find((s) => s.id === 'ports')
    expect(ports?.apply).toEqual([['@isolate-ports', 'virbr0']])
    expect(ports?.after).toEqual(['bridge'])
    const open = buildPlan(defaultNet({ forward: { mode: 'open' }, port: { isolated: true } }), {
      paths: PATHS,
      portIsolation: 'kernel'
    })
    expect(open.steps.map((s) => s.id)).toContain('ports')
    expect(open.steps.map((s) => s.id)).not.toContain('firewall')
    const plain = buildPlan(defaultNet(), { paths: PATHS, portIsolation: 'kernel' })
    expect(plain.steps.map((s) => s.id)).not.toContain('ports')
  })
})
