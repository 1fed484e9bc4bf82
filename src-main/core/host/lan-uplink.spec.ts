import { describe, expect, it } from 'vitest'

import type { HostFacts } from '../model/host-facts'
import { lanUplinkOf } from './lan-uplink'
import { parseHostFacts } from './parse-host-facts'

/** What `ip -j` prints on a laptop on Wi-Fi with SLAAC (trimmed). */
const wifi = (extraAddr: object[] = [], dflt: object[] = []): HostFacts =>
  parseHostFacts({
    addr: [
      {
        ifname: 'wlan0',
        mtu: 1500,
        addr_info: [
          { family: 'inet', local: '192.168.1.23', prefixlen: 24, scope: 'global' },
          {
            family: 'inet6',
            local: '2001:db8:aa:0:1c2d:3eff:fe4f:5a6b',
            prefixlen: 64,
            scope: 'global',
            dynamic: true,
            mngtmpaddr: true
          },
          { family: 'inet6', local: 'fe80::1c2d:3eff:fe4f:5a6b', prefixlen: 64, scope: 'link' },
          ...extraAddr
        ]
      }
    ],
    route4: [{ dst: 'default', gateway: '192.168.1.1', dev: 'wlan0', protocol: 'dhcp', metric: 600 }],
    route6: [
      { dst: '2001:db8:aa::/64', dev: 'wlan0', protocol: 'ra', metric: 600 },
      { dst: 'fe80::/64', dev: 'wlan0', protocol: 'kernel', metric: 1024 },
      { dst: 'default', gateway: 'fe80::1', dev: 'wlan0', protocol: 'ra', metric: 600 },
      ...dflt
    ]
  })

describe('lanUplinkOf', () => {
  it('finds the on-link /64, the host address in it and the router from the default route', () => {
    expect(lanUplinkOf(wifi())).toEqual({
      dev: 'wlan0',
      prefix: '2001:db8:aa::/64',
      router: 'fe80::1',
      hostAddress: '2001:db8:aa:0:1c2d:3eff:fe4f:5a6b'
    })
  })

  it('skips a deprecated or tentative address (the old prefix after a roam, DAD not done)', () => {
    const facts = wifi()
    facts.addresses = facts.addresses.map((a) => (a.address.startsWith('2001:') ? { ...a, deprecated: true } : a))
    expect(lanUplinkOf(facts)).toBeNull()
    facts.addresses = facts.addresses.map((a) =>
      a.address.startsWith('2001:') ? { ...a, deprecated: undefined, tentative: true } : a
    )
    expect(lanUplinkOf(facts)).toBeNull()
  })

  it('is null offline or on an IPv4-only uplink, and follows a pinned forward dev', () => {
    const facts = wifi()
    expect(lanUplinkOf({ ...facts, routes: facts.routes.filter((r) => r.dst !== '::/0') })).toBeNull()
    expect(lanUplinkOf(facts, { dev: 'eth0' })).toBeNull()
    expect(lanUplinkOf(facts, { dev: 'wlan0' })?.prefix).toBe('2001:db8:aa::/64')
    expect(lanUplinkOf(undefined)).toBeNull()
  })

  it('takes the default route with the lowest metric, and a global prefix over a ULA', () => {
    const facts = wifi(
      [{ family: 'inet6', local: 'fd12:3456:789a:1::5', prefixlen: 64, scope: 'global', dynamic: true }],
      [{ dst: 'fd12:3456:789a:1::/64', dev: 'wlan0', protocol: 'ra', metric: 600 }]
    )
    expect(lanUplinkOf(facts)?.prefix).toBe('2001:db8:aa::/64')
  })

  it('reads the deprecated and dynamic flags of ip -j addr', () => {
    const f = wifi([
      { family: 'inet6', local: '2001:db8:bb::5', prefixlen: 64, scope: 'global', deprecated: true, dynamic: true }
    ])
    expect(f.addresses.find((a) => a.address === '2001:db8:bb::5')).toMatchObject({ deprecated: true, dynamic: true })
  })
})
