import { describe, expect, it } from 'vitest'

import { forward as fwd, V6ONLY, WEB } from '../../../../test/renderer-support/guests'
import { forwardLabel, forwardsOfGuest, hostAddressesOf, sshCommand, sshTarget } from './guest-forwards'

const HOST = hostAddressesOf(['203.0.113.2/24', 'fe80::2/64', '2001:db8:1::2/64'])

describe('forwardsOfGuest', () => {
  it('gives a guest the forwards to its MAC (any case), its addresses and the reservation names kept for it', () => {
    const byMac = fwd({ to: '52:54:00:12:34:56'.toUpperCase() })
    const byIpv4 = fwd({ port: 8080, to: '192.168.122.50', toPort: 80 })
    const byIpv6 = fwd({ port: 8443, to: 'fd00:1::50', family: 'ipv6' })
    const byName = fwd({ port: 5432, to: 'WEB-db', toPort: 5432 })
    const byReservationMac = fwd({ port: 6000, to: 'web-x' })
    const other = fwd({ port: 9999, to: '52:54:00:00:00:01' })
    const otherAddress = fwd({ port: 9998, to: '192.168.122.51' })
    const all = [byMac, byIpv4, byIpv6, byName, byReservationMac, other, otherAddress]
    const reservations = [
      { mac: null, ip: '192.168.122.50', name: 'web-db' },
      { mac: '52:54:00:12:34:56', ip: null, name: 'web-x' },
      { mac: '52:54:00:00:00:01', ip: '192.168.122.51', name: 'other' }
    ]
    expect(forwardsOfGuest(WEB, all, reservations)).toEqual([byMac, byIpv4, byIpv6, byName, byReservationMac])
    expect(forwardsOfGuest(WEB, all, [])).toEqual([byMac, byIpv4, byIpv6])
    expect(forwardsOfGuest({ ...WEB, reservation: { ip: null, name: 'web-x' } }, all, [])).toContain(byReservationMac)
    expect(forwardsOfGuest(V6ONLY, all, reservations)).toEqual([])
  })

  it('also gives it a forward that goes now to one of its addresses, however the target is written', () => {
    const spelled = fwd({ to: 'fd00:1:0::77', family: 'ipv6', ipv6: 'fd00:1::77', state: 'active' })
    expect(forwardsOfGuest(V6ONLY, [spelled], [])).toEqual([spelled])
    expect(forwardsOfGuest(WEB, [spelled], [])).toEqual([])
  })
})

describe('forwardLabel', () => {
  it('is short: proto, host port (with its host address), guest port, and the family unless IPv4', () => {
    expect(forwardLabel(fwd({}))).toBe('tcp 2222 → 22')
    expect(forwardLabel(fwd({ proto: 'udp', port: 5353, toPort: 53, address: '203.0.113.5' }))).toBe(
      'udp 203.0.113.5:5353 → 53'
    )
    expect(forwardLabel(fwd({ family: 'ipv6', address: '2001:db8::5' }))).toBe('tcp [2001:db8::5]:2222 → 22 (IPv6)')
    expect(forwardLabel(fwd({ family: 'both' }))).toBe('tcp 2222 → 22 (IPv4+IPv6)')
  })
})

describe('sshTarget', () => {
  it('takes the IPv4 address, else the first global IPv6 one', () => {
    expect(sshTarget(WEB)).toBe('192.168.122.50')
    expect(sshTarget(V6ONLY)).toBe('fd00:1::77')
    expect(sshTarget({ ...V6ONLY, ipv6: [V6ONLY.ipv6[0]] })).toBeNull()
  })
})

describe('sshCommand', () => {
  it('goes through a tcp forward to port 22 at the host address, IPv4 first', () => {
    expect(HOST).toEqual({ ipv4: ['203.0.113.2'], ipv6: ['2001:db8:1::2'] })
    const v6 = fwd({ port: 2200, family: 'ipv6' })
    expect(sshCommand(WEB, [v6, fwd({})], HOST)).toBe('ssh -p 2222 user@203.0.113.2')
    expect(sshCommand(WEB, [v6], HOST)).toBe('ssh -p 2200 user@2001:db8:1::2')
    expect(sshCommand(WEB, [fwd({ address: '198.51.100.7' })], HOST)).toBe('ssh -p 2222 user@198.51.100.7')
    expect(sshCommand(WEB, [fwd({ port: 22 })], HOST)).toBe('ssh user@203.0.113.2')
    expect(sshCommand(WEB, [fwd({ family: 'both' })], { ipv4: [], ipv6: ['2001:db8:1::2'] })).toBe(
      'ssh -p 2222 user@2001:db8:1::2'
    )
  })

  it("otherwise uses the guest's own address (a udp or other-port forward does not count)", () => {
    const notSsh = [fwd({ proto: 'udp' }), fwd({ toPort: 80 })]
    expect(sshCommand(WEB, notSsh, HOST)).toBe('ssh user@192.168.122.50')
    expect(sshCommand(V6ONLY, [], HOST)).toBe('ssh user@fd00:1::77')
    expect(sshCommand(WEB, [fwd({})], { ipv4: [], ipv6: [] })).toBe('ssh user@192.168.122.50')
    expect(sshCommand({ ...V6ONLY, ipv6: [] }, [], HOST)).toBeNull()
  })
})
