import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../model/network'
import type { Plan } from '../model/plan'
import { buildPlan } from './build-plan'
import { PlanError } from './plan-error'
import { defaultNet, PATHS, ULA, v4, v6 } from '../../../test/unit-support/plan-defs.fixture'
import { hostFacts } from '../../../test/fixtures/host-facts/fixtures'

const plan = (def: NetworkDef): Plan => buildPlan(def, { paths: PATHS })
const ids = (p: Plan): string[] => p.steps.map((s) => s.id)
const step = (p: Plan, id: string): Plan['steps'][number] => {
  const s = p.steps.find((x) => x.id === id)
  if (!s) throw new Error(`no step ${id}`)
  return s
}

describe('buildPlan', () => {
  it('default network: files, bridge, firewall, sysctls, dnsmasq in that order', () => {
    const p = plan(defaultNet())
    expect(ids(p)).toEqual(['files', 'bridge', 'firewall', 'sysctls', 'dnsmasq'])
    expect(p.network).toBe('default')
    expect(p.bridge).toBe('virbr0')
    expect(step(p, 'bridge').apply).toEqual([
      ['ip', '-batch', '/run/guestnet/default/ip.batch'],
      ['@sysctl-bridge', 'net.ipv6.conf.virbr0.disable_ipv6', '1']
    ])
    // Every undo is a built-in that checks the piece is this network's (its owner mark) first.
    expect(step(p, 'bridge').rollback).toEqual([['@delete-bridge', 'virbr0']])
    expect(step(p, 'firewall')).toMatchObject({
      apply: [['nft', '-f', '/run/guestnet/default/ruleset.nft']],
      rollback: [['@delete-table', 'inet', 'guestnet_default']]
    })
    expect(p.owner).toBe('guestnet:system:default')
    expect(p.tables).toEqual([{ family: 'inet', name: 'guestnet_default' }])
    expect(step(p, 'dnsmasq')).toMatchObject({
      apply: [['dnsmasq', '--conf-file=/run/guestnet/default/dnsmasq.conf']],
      after: ['files', 'bridge'],
      rollback: [
        ['@kill-dnsmasq', '/run/guestnet/default/dnsmasq.pid'],
        ['@remove', '/run/guestnet/default/dnsmasq.pid']
      ]
    })
    expect(p.sysctls).toEqual({ 'net.ipv6.conf.virbr0.disable_ipv6': '1', 'net.ipv4.ip_forward': '1' })
  })

  it('every artifact is written once and removed by the rollback, in reverse', () => {
    const p = plan(defaultNet({ ips: [...defaultNet().ips, v6(ULA, 64)] }))
    const files = step(p, 'files')
    const written = files.apply.map((a) => a[2])
    expect(written.sort()).toEqual(Object.keys(p.artifacts).sort())
    expect(files.rollback).toEqual(files.apply.map((a) => ['@remove', a[1]]).reverse())
    expect(p.artifacts['dnsmasq.conf']).toBe(p.dnsmasqConf)
    expect(p.artifacts.nft).toBe(p.nftRuleset)
    for (const [, path] of files.apply) expect(path.startsWith('/run/guestnet/default/')).toBe(true)
  })

  it('every @sysctl of the sysctls step is restored, last first', () => {
    const p = buildPlan(defaultNet({ ips: [...defaultNet().ips, v6(ULA, 64)] }), {
      paths: PATHS,
      hostFacts: { addresses: [], routes: [{ family: 6, dst: '::/0', dev: 'wlan0', table: 'main', protocol: 'ra' }] }
    })
    const s = step(p, 'sysctls')
    expect(s.rollback).toEqual(s.apply.map((a) => ['@sysctl-restore', a[1]]).reverse())
    expect(s.apply.map((a) => a[1])).toEqual([
      'net.ipv4.ip_forward',
      'net.ipv6.conf.wlan0.accept_ra',
      'net.ipv6.conf.all.forwarding'
    ])
  })

  it('IPv6: bridge sysctls sit between the two ip batches', () => {
    const p = plan(defaultNet({ ips: [v6(ULA, 64)] }))
    expect(step(p, 'bridge').apply.map((a) => a.slice(0, 2).join(' '))).toEqual([
      'ip -batch',
      '@sysctl-bridge net.ipv6.conf.virbr0.disable_ipv6',
      '@sysctl-bridge net.ipv6.conf.virbr0.accept_ra',
      '@sysctl-bridge net.ipv6.conf.virbr0.accept_dad',
      'ip -batch'
    ])
    expect(step(p, 'bridge').apply[4][2]).toBe('/run/guestnet/default/ip6.batch')
  })

  it('isolated IPv4: no sysctls step', () => {
    expect(ids(plan(defaultNet({ forward: { mode: 'none' } })))).toEqual(['files', 'bridge', 'firewall', 'dnsmasq'])
  })

  it('open: no firewall (libvirt adds no rules either), forwarding still on', () => {
    const p = plan(defaultNet({ forward: { mode: 'open' } }))
    expect(ids(p)).toEqual(['files', 'bridge', 'sysctls', 'dnsmasq'])
    expect(p.nftRuleset).toBe('')
    expect('nft' in p.artifacts).toBe(false)
  })

  it('skips dnsmasq when there is nothing for it to do: no DHCP, DNS off, no IPv6', () => {
    const p = plan(
      defaultNet({ ips: [v4('10.0.0.1', 24)], dns: { enable: false, forwarders: [], hosts: [], srvs: [], txts: [] } })
    )
    expect(ids(p)).not.toContain('dnsmasq')
    expect(p.dnsmasqConf).toBe('')
    expect(Object.keys(p.artifacts).sort()).toEqual(['ip.batch', 'nft'])
  })

  it('keeps dnsmasq for router advertisements when DNS is off on an IPv6 network', () => {
    const p = plan(
      defaultNet({ ips: [v6(ULA, 64)], dns: { enable: false, forwarders: [], hosts: [], srvs: [], txts: [] } })
    )
    expect(ids(p)).toContain('dnsmasq')
    expect(p.dnsmasqConf).toContain(`dhcp-range=${ULA},ra-only\n`)
  })

  it('no addresses at all: just the bridge, no dnsmasq', () => {
    expect(ids(plan(defaultNet({ ips: [], forward: { mode: 'none' } })))).toEqual(['files', 'bridge', 'firewall'])
  })

  it('passes the dnsmasq user through', () => {
    const p = buildPlan(defaultNet(), { paths: PATHS, dnsmasqUser: { user: 'dnsmasq', group: 'nogroup' } })
    expect(p.dnsmasqConf).toContain('\nuser=dnsmasq\ngroup=nogroup\n')
  })

  it('is deterministic', () => {
    const def = defaultNet({ ips: [...defaultNet().ips, v6(ULA, 64)] })
    expect(JSON.stringify(plan(def))).toBe(JSON.stringify(plan(structuredClone(def))))
  })

  it('refuses what validation should have caught, naming the field', () => {
    expect(() => plan(defaultNet({ bridge: undefined }))).toThrow(PlanError)
    expect(() => plan(defaultNet({ bridge: { name: 'virbr%d' } }))).toThrow(/^bridge\.name: .*concrete/)
    expect(() => plan(defaultNet({ bridge: { name: 'br"0' } }))).toThrow(/^bridge\.name: /)
    expect(() => plan(defaultNet({ forward: { mode: 'nat', dev: 'eth0 ; x' } }))).toThrow(/^forward\.dev: /)
    expect(() =>
      plan(
        defaultNet({
          ips: [
            v4('10.0.0.1', 24, { hosts: [{ ip: '10.0.0.5', mac: '52:54:00:00:00:01' }] }),
            v4('10.1.0.1', 24, { hosts: [{ ip: '10.1.0.5', mac: '52:54:00:00:00:02' }] })
          ]
        })
      )
    ).toThrow(/^ip\[1\]\.dhcp: only one IPv4 address/)
    expect(() => plan(defaultNet({ ips: [v4('fd00::1', 64)] }))).toThrow(/^ip\[0\]\.address: /)
  })
})

describe('buildPlan and the uplink MTU', () => {
  const wg = hostFacts('wireguard-vpn')

  it('announces a WireGuard uplink (1420) to guests; the nft table clamps MSS either way', () => {
    const p = buildPlan(defaultNet(), { paths: PATHS, hostFacts: wg })
    expect(p.dnsmasqConf).toContain('dhcp-option=26,1420\n')
    expect(p.nftRuleset).toContain('tcp option maxseg size set rt mtu')
    const plain = buildPlan(defaultNet(), { paths: PATHS, hostFacts: hostFacts('laptop-wifi') })
    expect(plain.dnsmasqConf).not.toContain('dhcp-option=26')
    expect(plain.nftRuleset).toBe(p.nftRuleset)
  })

  it("leaves an explicit <mtu size> as the admin wrote it (libvirt's line only)", () => {
    const p = buildPlan(defaultNet({ mtu: 1500 }), { paths: PATHS, hostFacts: wg })
    expect(p.dnsmasqConf).toContain('dhcp-option=option:mtu,1500\n')
    expect(p.dnsmasqConf).not.toContain('dhcp-option=26')
  })
})
