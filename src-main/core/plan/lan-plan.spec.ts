import { describe, expect, it } from 'vitest'

import type { HostFacts } from '../model/host-facts'
import type { NetworkDef } from '../model/network'
import { defaultNet, PATHS, ULA, v6 } from '../../../test/unit-support/plan-defs.fixture'
import { buildPlan } from './build-plan'
import { bridgeLanAddress, lanRaLine } from './lan-plan'
import { proxyChange } from './lan-proxy'
import { parseRecord, recordOfPlan, undoOfRecord } from './network-record'

const FACTS: HostFacts = {
  addresses: [{ ifname: 'wlan0', family: 6, address: '2001:db8:aa::23', prefix: 64, scope: 'global', dynamic: true }],
  routes: [
    { family: 6, dst: '2001:db8:aa::/64', dev: 'wlan0', table: 'main', protocol: 'ra' },
    { family: 6, dst: '::/0', dev: 'wlan0', table: 'main', gateway: 'fe80::1', protocol: 'ra' }
  ]
}

const lanNet = (): NetworkDef =>
  defaultNet({
    mac: '52:54:00:5e:0a:05',
    ips: [...defaultNet().ips, v6(ULA, 64)],
    guestnet: { uplink: { ipv6: 'lan' } }
  })

const CTX = { store: 'system', uuid: null, netns: null, nsId: null, now: new Date(0) }

describe("ipv6='lan' plan", () => {
  it('puts an address of the uplink prefix on the bridge without its route, and announces it off-link', () => {
    const p = buildPlan(lanNet(), { paths: PATHS, hostFacts: FACTS })
    expect(p.lan).toEqual({
      dev: 'wlan0',
      prefix: '2001:db8:aa::/64',
      router: 'fe80::1',
      bridgeAddress: '2001:db8:aa:0:5054:ff:fe5e:a05'
    })
    expect(p.artifacts['ip6.batch']).toContain(
      'address add 2001:db8:aa:0:5054:ff:fe5e:a05/64 dev virbr0 noprefixroute nodad'
    )
    expect(p.dnsmasqConf).toContain(`${lanRaLine('virbr0')}\n`)
    expect(p.sysctls['net.ipv6.conf.all.proxy_ndp']).toBe('1')
    expect(p.nftRuleset).toContain('ip6 daddr 2001:db8:aa::/64 ct state established,related accept')
    // Only replies come in: nothing accepts a new connection to the LAN prefix.
    expect(p.nftRuleset).not.toMatch(/ip6 daddr 2001:db8:aa::\/64 accept/)
  })

  it('without an uplink prefix keeps the ULA only (and says so with lan: null)', () => {
    const p = buildPlan(lanNet(), { paths: PATHS, hostFacts: { addresses: [], routes: [] } })
    expect(p.lan).toBeNull()
    expect(p.artifacts['ip6.batch']).not.toContain('noprefixroute')
    expect(p.nftRuleset).not.toContain('lan_seen')
    // The constructor line stays: a prefix that appears later is announced by the same dnsmasq.
    expect(p.dnsmasqConf).toContain(lanRaLine('virbr0'))
  })

  it('other networks are unchanged: no lan field, no proxy_ndp', () => {
    const p = buildPlan(defaultNet({ ips: [...defaultNet().ips, v6(ULA, 64)] }), { paths: PATHS, hostFacts: FACTS })
    expect('lan' in p).toBe(false)
    expect(p.sysctls['net.ipv6.conf.all.proxy_ndp']).toBeUndefined()
  })

  it('records the prefix, reads the record back, and its undo removes every proxy entry first', () => {
    const p = buildPlan(lanNet(), { paths: PATHS, hostFacts: FACTS })
    const r = recordOfPlan('journal', p, CTX)
    r.lan = { uplink: r.lan?.uplink ?? null, proxies: ['2001:db8:aa::5', '2001:db8:aa::6'] }
    const back = parseRecord(JSON.stringify(r), { network: 'default', store: 'system' })
    expect(back.ok).toBe(true)
    const undo = undoOfRecord(r, PATHS)
    expect(undo[0]).toMatchObject({
      step: 'lan',
      commands: [
        ['@unproxy-ndp', 'wlan0', '2001:db8:aa::5'],
        ['@unproxy-ndp', 'wlan0', '2001:db8:aa::6']
      ]
    })
  })

  it('refuses a record whose proxies lie outside its prefix or whose uplink is not an interface', () => {
    const p = buildPlan(lanNet(), { paths: PATHS, hostFacts: FACTS })
    const r = recordOfPlan('journal', p, CTX)
    const bad = (lan: unknown): boolean =>
      parseRecord(JSON.stringify({ ...r, lan }), { network: 'default', store: 'system' }).ok
    expect(bad({ uplink: r.lan?.uplink, proxies: ['2001:db8:bb::5'] })).toBe(false)
    expect(bad({ uplink: { ...r.lan?.uplink, dev: 'a b' }, proxies: [] })).toBe(false)
    expect(bad({ uplink: null, proxies: ['2001:db8:aa::5'] })).toBe(false)
    expect(bad({ uplink: null, proxies: [] })).toBe(true)
  })
})

describe('proxyChange', () => {
  it('adds the guests seen in the prefix, removes the rest, ignores other prefixes and the anycast address', () => {
    const c = proxyChange(
      ['2001:db8:aa::9', '2001:db8:aa::5'],
      ['2001:db8:aa:0::5', '2001:db8:aa::7', 'fd00::1', '2001:db8:aa::'],
      '2001:db8:aa::/64'
    )
    expect(c).toEqual({
      add: ['2001:db8:aa::7'],
      remove: ['2001:db8:aa::9'],
      next: ['2001:db8:aa::5', '2001:db8:aa::7']
    })
    expect(proxyChange(['2001:db8:aa::5'], ['2001:db8:aa::5'], null)).toEqual({
      add: [],
      remove: ['2001:db8:aa::5'],
      next: []
    })
  })

  it('makes the bridge address from the MAC (EUI-64), only in a /64', () => {
    expect(bridgeLanAddress('2001:db8:bb::/64', '52:54:00:5e:0a:05')).toBe('2001:db8:bb:0:5054:ff:fe5e:a05')
    expect(bridgeLanAddress('2001:db8:bb::/56', '52:54:00:5e:0a:05')).toBeNull()
  })
})
