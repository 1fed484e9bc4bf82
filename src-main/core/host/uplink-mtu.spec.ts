import { describe, expect, it } from 'vitest'

import { hostFacts } from '../../../test/fixtures/host-facts/fixtures'
import type { HostFacts, HostRoute } from '../model/host-facts'
import { announcedUplinkMtu, guestMtu, uplinkPathMtu } from './uplink-mtu'
import { parseHostFacts } from './parse-host-facts'

function facts(links: Record<string, number>, routes: Partial<HostRoute>[]): HostFacts {
  return {
    addresses: [],
    links: Object.entries(links).map(([ifname, mtu]) => ({ ifname, mtu })),
    routes: routes.map((r) => ({ family: 4, dst: '0.0.0.0/0', table: 'main', ...r }))
  }
}

describe('uplinkPathMtu', () => {
  it('is the Wi-Fi link MTU on a plain laptop', () => {
    expect(uplinkPathMtu(hostFacts('laptop-wifi'))).toEqual({ mtu: 1500, dev: 'wlan0', table: 'main' })
  })

  it("follows wg-quick's default route in table 51820 (WireGuard, 1420)", () => {
    expect(uplinkPathMtu(hostFacts('wireguard-vpn'))).toEqual({ mtu: 1420, dev: 'wg0', table: '51820' })
  })

  it('takes PPPoE and tun devices by their own MTU', () => {
    expect(uplinkPathMtu(facts({ ppp0: 1492, eth0: 1500 }, [{ dev: 'ppp0' }]))?.mtu).toBe(1492)
    expect(
      uplinkPathMtu(
        facts({ tun0: 1380, eth0: 1500 }, [
          { dev: 'eth0', metric: 100 },
          { dev: 'tun0', table: '100' }
        ])
      )
    ).toEqual({
      mtu: 1380,
      dev: 'tun0',
      table: '100'
    })
  })

  it("caps the device's MTU by the route's own mtu", () => {
    expect(uplinkPathMtu(facts({ eth0: 1500 }, [{ dev: 'eth0', mtu: 1400 }]))?.mtu).toBe(1400)
  })

  it('uses only the lowest-metric default route of a table (a backup uplink does not count)', () => {
    const f = facts({ eth0: 1500, wwan0: 1430 }, [
      { dev: 'eth0', metric: 100 },
      { dev: 'wwan0', metric: 700 }
    ])
    expect(uplinkPathMtu(f)?.dev).toBe('eth0')
  })

  it('counts IPv6 default routes too, and ignores unreachable or local ones', () => {
    const f = facts({ eth0: 1500, sit1: 1480 }, [
      { dev: 'eth0' },
      { family: 6, dst: '::/0', dev: 'sit1' },
      { dev: 'eth0', type: 'unreachable', table: '7', mtu: 1000 },
      { dev: 'lo', table: 'local' }
    ])
    expect(uplinkPathMtu(f)).toEqual({ mtu: 1480, dev: 'sit1', table: 'main' })
  })

  it('is null offline or without link MTUs', () => {
    expect(uplinkPathMtu(facts({ eth0: 1500 }, []))).toBeNull()
    expect(
      uplinkPathMtu({ addresses: [], routes: [{ family: 4, dst: '0.0.0.0/0', dev: 'eth0', table: 'main' }] })
    ).toBeNull()
  })

  it('reads the MTUs from ip -j output (links and route metrics)', () => {
    const parsed = parseHostFacts({
      addr: [
        { ifname: 'wg0', mtu: 1420, addr_info: [] },
        { ifname: 'bad', mtu: 'x' }
      ],
      route4: [{ dst: 'default', dev: 'wg0', metric: 5, metrics: [{ mtu: 1400 }] }],
      route6: []
    })
    expect(parsed.links).toEqual([{ ifname: 'wg0', mtu: 1420 }])
    expect(parsed.routes[0]).toMatchObject({ metric: 5, mtu: 1400 })
    expect(uplinkPathMtu(parsed)?.mtu).toBe(1400)
  })
})

describe('guestMtu', () => {
  const wg = hostFacts('wireguard-vpn')

  it("keeps the admin's <mtu size> whatever the uplink", () => {
    expect(guestMtu({ mtu: 9000 }, wg)).toEqual({ mtu: 9000, source: 'definition' })
    expect(announcedUplinkMtu(guestMtu({ mtu: 1400 }, wg))).toBeNull()
  })

  it('follows the uplink below 1500 and announces it', () => {
    const m = guestMtu({}, wg)
    expect(m).toMatchObject({ mtu: 1420, source: 'uplink' })
    expect(announcedUplinkMtu(m)).toBe(1420)
  })

  it('never goes above the bridge (1500) on a jumbo uplink, and announces nothing then', () => {
    const m = guestMtu({}, facts({ eth0: 9000 }, [{ dev: 'eth0' }]))
    expect(m.mtu).toBe(1500)
    expect(announcedUplinkMtu(m)).toBeNull()
  })

  it("never goes below IPv6's 1280", () => {
    expect(guestMtu({}, facts({ tun0: 1100 }, [{ dev: 'tun0' }])).mtu).toBe(1280)
  })

  it('is 1500 (nothing announced) without host facts or offline', () => {
    expect(guestMtu({}, undefined)).toEqual({ mtu: 1500, source: 'default' })
    expect(announcedUplinkMtu(guestMtu({}, facts({}, [])))).toBeNull()
  })
})
