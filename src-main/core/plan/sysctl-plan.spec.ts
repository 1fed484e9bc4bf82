import { describe, expect, it } from 'vitest'

import type { HostFacts } from '../model/host-facts'
import { renderIpBatches } from './ip-batch'
import { analyseNetwork } from './network-shape'
import { defaultNet, ULA, v4, v6 } from '../../../test/unit-support/plan-defs.fixture'
import { bridgeSysctls, hostSysctls, ipv6ConfKey, raUplinks } from './sysctl-plan'

const FACTS: HostFacts = {
  addresses: [{ ifname: 'lo', family: 6, address: '::1', prefix: 128 }],
  routes: [
    { family: 6, dst: '::/0', dev: 'wlan0', table: 'main', gateway: 'fe80::1', protocol: 'ra' },
    { family: 6, dst: '2001:db8:1::/64', dev: 'wlan0', table: 'main', protocol: 'ra' },
    { family: 6, dst: '2001:db8:2::/64', dev: 'eth0.100', table: 'main', protocol: 'ra' },
    { family: 6, dst: 'fd00:9::/64', dev: 'virbr0', table: 'main', protocol: 'ra' },
    { family: 6, dst: '2001:db8:3::/64', dev: 'wg0', table: '51820', protocol: 'static' },
    { family: 4, dst: '0.0.0.0/0', dev: 'eth1', table: 'main', gateway: '192.168.1.1', protocol: 'ra' }
  ]
}

const dual = defaultNet({ ips: [v4('192.168.122.1', 24), v6(ULA, 64)] })

describe('ipv6ConfKey', () => {
  it('dotted normally, sysctl(8) slash form for names with a dot', () => {
    expect(ipv6ConfKey('wlan0', 'accept_ra')).toBe('net.ipv6.conf.wlan0.accept_ra')
    expect(ipv6ConfKey('eth0.100', 'accept_ra')).toBe('net/ipv6/conf/eth0.100/accept_ra')
  })
})

describe('raUplinks', () => {
  it('IPv6 interfaces with proto ra routes, once each, sorted, our bridge left out', () => {
    expect(raUplinks(FACTS, 'virbr0')).toEqual(['eth0.100', 'wlan0'])
    expect(raUplinks(undefined, 'virbr0')).toEqual([])
  })
})

describe('hostSysctls', () => {
  it('NAT IPv4: ip_forward only', () => {
    expect(hostSysctls(analyseNetwork(defaultNet()), FACTS)).toEqual([['net.ipv4.ip_forward', '1']])
  })

  it('NAT dual stack: accept_ra=2 on RA uplinks before IPv6 forwarding goes on', () => {
    expect(hostSysctls(analyseNetwork(dual), FACTS)).toEqual([
      ['net.ipv4.ip_forward', '1'],
      ['net/ipv6/conf/eth0.100/accept_ra', '2'],
      ['net.ipv6.conf.wlan0.accept_ra', '2'],
      ['net.ipv6.conf.all.forwarding', '1']
    ])
  })

  it('route IPv6-only and open forward too; isolated forwards nothing', () => {
    const v6only = { ...dual, forward: { mode: 'route' as const }, ips: [v6(ULA, 64)] }
    expect(hostSysctls(analyseNetwork(v6only), undefined)).toEqual([['net.ipv6.conf.all.forwarding', '1']])
    expect(hostSysctls(analyseNetwork({ ...dual, forward: { mode: 'open' } }), undefined)).toHaveLength(2)
    expect(hostSysctls(analyseNetwork({ ...dual, forward: { mode: 'none' } }), FACTS)).toEqual([])
  })
})

describe('bridgeSysctls', () => {
  it('IPv6 network: IPv6 on, RAs from guests ignored, no DAD for the bridge’s own address', () => {
    expect(bridgeSysctls(analyseNetwork(dual), FACTS)).toEqual([
      ['net.ipv6.conf.virbr0.disable_ipv6', '0'],
      ['net.ipv6.conf.virbr0.accept_ra', '0'],
      ['net.ipv6.conf.virbr0.accept_dad', '0']
    ])
  })

  it('IPv4-only network: IPv6 off on the bridge, unless the kernel has no IPv6 at all', () => {
    expect(bridgeSysctls(analyseNetwork(defaultNet()), FACTS)).toEqual([['net.ipv6.conf.virbr0.disable_ipv6', '1']])
    expect(bridgeSysctls(analyseNetwork(defaultNet()), undefined)).toEqual([['net.ipv6.conf.virbr0.disable_ipv6', '1']])
    const noV6: HostFacts = { addresses: [{ ifname: 'lo', family: 4, address: '127.0.0.1', prefix: 8 }], routes: [] }
    expect(bridgeSysctls(analyseNetwork(defaultNet()), noV6)).toEqual([])
  })

  it("link-local only (ipv6='yes', no IPv6 address): IPv6 on the bridge, guests' RAs ignored, no forwarding", () => {
    const linkLocal = analyseNetwork(defaultNet({ ipv6: true }))
    expect(bridgeSysctls(linkLocal, FACTS)).toEqual([
      ['net.ipv6.conf.virbr0.disable_ipv6', '0'],
      ['net.ipv6.conf.virbr0.accept_ra', '0'],
      ['net.ipv6.conf.virbr0.accept_dad', '0']
    ])
    expect(hostSysctls(linkLocal, FACTS)).toEqual([['net.ipv4.ip_forward', '1']])
    // The link comes up only after those are set (the second ip batch).
    const batches = renderIpBatches(linkLocal, 'guestnet:system:default')
    expect(batches.link).not.toContain(' up')
    expect(batches.addresses).toContain('link set dev virbr0 up')
  })
})
