import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../model/network'
import type { Cidr } from '../net/cidr'
import { formatCidr, parseCidr } from '../net/cidr'
import { parseIp } from '../net/ip'
import { validDef } from '../../../test/unit-support/valid-network.fixture'
import { validateNetwork } from '../validate/validate-network'
import { mapAddress, renumberNetwork } from './renumber-network'

const cidr = (text: string): Cidr => parseCidr(text) as Cidr

describe('renumberNetwork', () => {
  it('refuses a host-bridge network: its addresses are the LAN’s', () => {
    const r = renumberNetwork(
      { name: 'lan', forward: { mode: 'bridge' }, bridge: { name: 'br0' }, ips: [] },
      cidr('10.9.0.0/24')
    )
    expect(r).toMatchObject({
      ok: false,
      problems: [{ field: 'forward.mode', message: expect.stringContaining('come from the LAN') }]
    })
  })

  it('keeps host parts: gateway, DHCP range, reservations and DNS hosts move, identity stays', () => {
    const before = validDef()
    const r = renumberNetwork(before, cidr('10.122.0.0/24'))
    if (!r.ok) throw new Error(JSON.stringify(r.problems))
    const { def } = r
    expect(def.ips[0]).toMatchObject({ address: '10.122.0.1', prefix: 24 })
    expect(def.ips[0].dhcp?.ranges[0]).toMatchObject({
      start: '10.122.0.2',
      end: '10.122.0.254',
      lease: { expiry: 1, unit: 'hours' }
    })
    expect(def.ips[0].dhcp?.hosts.map((h) => [h.mac, h.name, h.ip])).toEqual([
      ['52:54:00:AA:BB:CC', 'db', '10.122.0.10'],
      ['52:54:00:aa:bb:cd', 'web', '10.122.0.11']
    ])
    expect(def.dns?.hosts[0]).toEqual({ ip: '10.122.0.10', hostnames: ['db', 'db.lab.lan'] })
    // Identity and everything outside the subnet are untouched.
    expect([def.name, def.uuid, def.bridge, def.mac, def.forward, def.ips[1], def.domain]).toEqual([
      before.name,
      before.uuid,
      before.bridge,
      before.mac,
      before.forward,
      before.ips[1],
      before.domain
    ])
    expect(def.dns?.forwarders).toEqual(before.dns?.forwarders)
    expect(formatCidr(r.from)).toBe('192.168.123.0/24')
    expect(r.changes.map((c) => c.field)).toEqual([
      'ip[0].address',
      'ip[0].dhcp.range[0].start',
      'ip[0].dhcp.range[0].end',
      'ip[0].dhcp.host[0].ip',
      'ip[0].dhcp.host[1].ip',
      'dns.host[0].ip'
    ])
    expect(validateNetwork(def)).toEqual([])
    // The input is not modified.
    expect(before.ips[0].address).toBe('192.168.123.1')
  })

  it('moves a port forward to a guest address with the guest; a MAC target stays', () => {
    const before: NetworkDef = {
      ...validDef(),
      guestnet: {
        portForwards: [
          { proto: 'tcp', port: 2222, to: '192.168.123.50', toPort: 22 },
          { proto: 'udp', port: 5000, to: '52:54:00:12:34:57' }
        ]
      }
    }
    const r = renumberNetwork(before, cidr('10.122.0.0/24'))
    if (!r.ok) throw new Error(JSON.stringify(r.problems))
    expect(r.def.guestnet?.portForwards?.map((f) => f.to)).toEqual(['10.122.0.50', '52:54:00:12:34:57'])
    expect(r.changes).toContainEqual({
      field: 'metadata.portForwards.forward[0].to',
      from: '192.168.123.50',
      to: '10.122.0.50'
    })
    expect(validateNetwork(r.def)).toEqual([])
  })

  it('moves into a larger subnet by offset, and refuses a smaller one whose hosts do not fit', () => {
    const bigger = renumberNetwork(validDef(), cidr('10.20.0.0/16'))
    expect(bigger.ok && bigger.def.ips[0]).toMatchObject({ address: '10.20.0.1', prefix: 16 })
    const smaller = renumberNetwork(validDef(), cidr('10.20.0.0/25'))
    expect(smaller.ok).toBe(false)
    if (!smaller.ok) {
      expect(smaller.problems.map((p) => p.field)).toEqual(['ip[0].dhcp.range[0].end'])
      expect(smaller.problems[0].message).toContain('10.20.0.0/25 does not have')
    }
  })

  it('moves the IPv6 block when the target is IPv6', () => {
    const r = renumberNetwork(validDef(), cidr('fd00:aa:bb:cc::/64'))
    expect(
      r.ok && [
        r.def.ips[1].address,
        r.def.ips[1].dhcp?.ranges[0].start,
        r.def.ips[1].dhcp?.hosts[0].ip,
        r.def.ips[0].address
      ]
    ).toEqual(['fd00:aa:bb:cc::1', 'fd00:aa:bb:cc::100', 'fd00:aa:bb:cc::10', '192.168.123.1'])
  })

  it('says so for a network without a block of that family', () => {
    const def: NetworkDef = { ...validDef(), ips: [validDef().ips[1]] }
    const r = renumberNetwork(def, cidr('10.1.2.0/24'))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.problems[0].message).toMatch(/no IPv4 <ip>/)
  })

  it("moves a boot server that is one of the network's guests, and leaves one elsewhere (and the TFTP root) alone", () => {
    const inside = validDef()
    inside.ips[0].dhcp!.bootp = { file: 'pxelinux.0', server: '192.168.123.5' }
    const r = renumberNetwork(inside, cidr('10.122.0.0/24'))
    expect(r.ok && [r.def.ips[0].dhcp?.bootp, r.def.ips[0].tftp]).toEqual([
      { file: 'pxelinux.0', server: '10.122.0.5' },
      { root: '/srv/tftp' }
    ])
    expect(r.ok && r.changes).toContainEqual({
      field: 'ip[0].dhcp.bootp.server',
      from: '192.168.123.5',
      to: '10.122.0.5'
    })
    const elsewhere = renumberNetwork(validDef(), cidr('10.122.0.0/24'))
    expect(elsewhere.ok && elsewhere.def.ips[0].dhcp?.bootp).toEqual({ file: 'pxelinux.0', server: '192.0.2.69' })
  })

  it('changes nothing when the target is the subnet it has', () => {
    const r = renumberNetwork(validDef(), cidr('192.168.123.0/24'))
    expect(r.ok && r.changes).toEqual([])
  })
})

describe('mapAddress', () => {
  it('keeps the offset and refuses what is out of reach', () => {
    const ip = (t: string) => parseIp(t)!
    expect(mapAddress(ip('192.168.1.200'), cidr('192.168.1.0/24'), cidr('10.0.5.0/24'))).toEqual(ip('10.0.5.200'))
    expect(mapAddress(ip('192.168.1.200'), cidr('192.168.1.0/24'), cidr('10.0.5.0/25'))).toBeNull()
    expect(mapAddress(ip('192.168.0.5'), cidr('192.168.1.0/24'), cidr('10.0.5.0/24'))).toBeNull()
  })
})
