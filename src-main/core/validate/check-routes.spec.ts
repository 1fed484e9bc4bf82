import { describe, expect, it } from 'vitest'

import type { NetworkDef, StaticRoute } from '../model/network'
import { validDef } from '../../../test/unit-support/valid-network.fixture'
import { validateNetwork } from './validate-network'

/** The fixture's subnets: 192.168.123.0/24 (host .1) and fd12:3456:789a:1::/64 (host ::1). */
function withRoutes(...routes: StaticRoute[]): NetworkDef {
  return { ...validDef(), routes }
}

const v4 = (address: string, prefix: number, gateway: string, metric?: number): StaticRoute =>
  metric === undefined
    ? { family: 'ipv4', address, prefix, gateway }
    : { family: 'ipv4', address, prefix, gateway, metric }
const v6 = (address: string, prefix: number, gateway: string): StaticRoute => ({
  family: 'ipv6',
  address,
  prefix,
  gateway
})

describe('validateNetwork: <route>', () => {
  it('accepts IPv4 and IPv6 routes through guests in the network', () => {
    expect(
      validateNetwork(withRoutes(v4('10.20.0.0', 16, '192.168.123.2', 10), v6('fd99::', 64, 'fd12:3456:789a:1::2')))
    ).toEqual([])
  })

  it('refuses a gateway outside every subnet of its family, naming the subnets', () => {
    expect(validateNetwork(withRoutes(v4('10.20.0.0', 16, '192.168.99.2')))).toEqual([
      {
        field: 'route[0].gateway',
        message: "the gateway 192.168.99.2 is not in any of this network's ipv4 subnets (192.168.123.0/24)",
        fix: expect.stringContaining('a guest on this network')
      }
    ])
    expect(validateNetwork(withRoutes(v6('fd99::', 64, 'fd00::2')))[0]).toMatchObject({ field: 'route[0].gateway' })
  })

  it("refuses the host's own address as the gateway", () => {
    expect(validateNetwork(withRoutes(v4('10.20.0.0', 16, '192.168.123.1')))[0]).toMatchObject({
      field: 'route[0].gateway',
      message: expect.stringContaining("host's own address")
    })
  })

  it('refuses family mismatches and host bits, as the parser does', () => {
    expect(validateNetwork(withRoutes(v4('fd99::', 64, 'fd12:3456:789a:1::2')))).toEqual([
      expect.objectContaining({ field: 'route[0].address', message: expect.stringContaining('IPv6 address') })
    ])
    expect(validateNetwork(withRoutes(v4('10.20.0.1', 16, '192.168.123.2')))[0]).toMatchObject({
      field: 'route[0].address',
      fix: 'give the network address: 10.20.0.0'
    })
  })

  it('refuses a duplicate route, but not the same destination with another metric', () => {
    const dup = validateNetwork(withRoutes(v4('10.20.0.0', 16, '192.168.123.2'), v4('10.20.0.0', 16, '192.168.123.3')))
    expect(dup).toEqual([expect.objectContaining({ field: 'route[1]', message: expect.stringContaining('route[0]') })])
    expect(
      validateNetwork(withRoutes(v4('10.20.0.0', 16, '192.168.123.2', 1), v4('10.20.0.0', 16, '192.168.123.3', 2)))
    ).toEqual([])
  })

  it('checks the shape of routes from an untrusted side', () => {
    const raw = withRoutes(v4('10.20.0.0', 16, '192.168.123.2')) as unknown as { routes: Record<string, unknown>[] }
    raw.routes[0].metric = '5'
    raw.routes[0].via = 'x'
    expect(validateNetwork(raw as unknown as NetworkDef).map((p) => p.field)).toEqual([
      'route[0].via',
      'route[0].metric'
    ])
  })
})

describe('validateNetwork: bridge zone and port isolation', () => {
  it('accepts a firewalld zone name, refuses anything else', () => {
    const ok = validDef()
    ok.bridge = { ...ok.bridge, zone: 'libvirt-routed' }
    expect(validateNetwork(ok)).toEqual([])
    for (const zone of ['', 'a b', 'x'.repeat(18), 'zone;rm', '../etc']) {
      const bad = validDef()
      bad.bridge = { ...bad.bridge, zone }
      expect(
        validateNetwork(bad).map((p) => p.field),
        zone
      ).toEqual(['bridge.zone'])
    }
  })

  it('accepts isolated ports on networks guestnet makes, refuses them on a host bridge', () => {
    const nat = validDef()
    nat.port = { isolated: true }
    expect(validateNetwork(nat)).toEqual([])
    const host: NetworkDef = {
      name: 'lan',
      forward: { mode: 'bridge' },
      bridge: { name: 'br0' },
      port: { isolated: true },
      ips: []
    }
    expect(validateNetwork(host)).toEqual([expect.objectContaining({ field: 'port.isolated' })])
    expect(validateNetwork({ ...host, port: { isolated: false } })).toEqual([])
  })

  it('refuses macTableManager values other than kernel from an untrusted side', () => {
    const raw = validDef() as unknown as { bridge: Record<string, unknown> }
    raw.bridge.macTableManager = 'libvirt'
    expect(validateNetwork(raw as unknown as NetworkDef).map((p) => p.field)).toEqual(['bridge.macTableManager'])
  })
})
