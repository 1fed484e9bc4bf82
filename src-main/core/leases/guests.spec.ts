import { describe, expect, it } from 'vitest'

import { buildGuests, macOfDuid, recordFirstSeen } from './guests'
import { parseLeases } from './parse-leases'
import { parseNeighbours } from './parse-neighbours'

const NOW = 1_800_000_000
const LEASES = parseLeases(
  [
    `${NOW + 2520} 52:54:00:aa:bb:01 192.168.50.120 web 01:52:54:00:aa:bb:01`,
    `${NOW - 5} 52:54:00:aa:bb:02 192.168.50.121 gone *`,
    'duid 00:01:00:01:2c:00:00:01:52:54:00:00:00:01',
    `${NOW + 3600} 1234 fd00:50::1a web 00:01:00:01:2c:11:22:33:52:54:00:aa:bb:01`,
    `${NOW + 3600} 99 fd00:50::1b * 00:03:00:01:52:54:00:aa:bb:03`
  ].join('\n')
).leases
const NEIGH = parseNeighbours(
  JSON.stringify([
    { dst: 'fe80::5054:ff:feaa:bb01', lladdr: '52:54:00:aa:bb:01', state: ['STALE'] },
    { dst: 'fd00:50::5054:ff:feaa:bb01', lladdr: '52:54:00:aa:bb:01', state: ['REACHABLE'] },
    { dst: '192.168.50.7', lladdr: '52:54:00:aa:bb:04', state: ['REACHABLE'] }
  ])
)

describe('macOfDuid', () => {
  it('finds the MAC in a DUID-LLT and a DUID-LL, nothing in a DUID-EN or junk', () => {
    expect(macOfDuid('00:01:00:01:2c:11:22:33:52:54:00:AA:BB:01')).toBe('52:54:00:aa:bb:01')
    expect(macOfDuid('00:03:00:01:52:54:00:aa:bb:03')).toBe('52:54:00:aa:bb:03')
    expect(macOfDuid('00:02:00:00:ab:11:01:02:03:04')).toBeNull()
    expect(macOfDuid('zz')).toBeNull()
    expect(macOfDuid(null)).toBeNull()
  })
})

describe('buildGuests', () => {
  it('joins IPv4 and DHCPv6 leases, the neighbour table, reservations and first-seen by MAC', () => {
    const guests = buildGuests({
      leases: LEASES,
      neighbours: NEIGH,
      reservations: [{ mac: '52:54:00:AA:BB:01', ip: '192.168.50.120', name: 'web' }],
      firstSeen: { '52:54:00:aa:bb:01': NOW - 600 },
      nowSeconds: NOW
    })
    expect(guests.map((g) => g.mac)).toEqual(['52:54:00:aa:bb:04', '52:54:00:aa:bb:01', '52:54:00:aa:bb:03'])
    const web = guests[1]
    expect(web).toEqual({
      mac: '52:54:00:aa:bb:01',
      hostname: 'web',
      ipv4: { ip: '192.168.50.120', expiresAt: NOW + 2520, source: 'lease' },
      ipv6: [
        { ip: 'fd00:50::1a', source: 'dhcpv6', linkLocal: false },
        { ip: 'fd00:50::5054:ff:feaa:bb01', source: 'neighbour', linkLocal: false },
        { ip: 'fe80::5054:ff:feaa:bb01', source: 'neighbour', linkLocal: true }
      ],
      reservation: { ip: '192.168.50.120', name: 'web' },
      firstSeen: NOW - 600
    })
    expect(guests[0].ipv4).toEqual({ ip: '192.168.50.7', expiresAt: null, source: 'neighbour' })
    expect(guests[2]).toMatchObject({ ipv4: null, ipv6: [{ ip: 'fd00:50::1b', source: 'dhcpv6' }], firstSeen: null })
  })

  it("leaves out the host's own MAC, which the bridge's neighbour table may hold (control: without hostMacs it is a guest)", () => {
    const own = parseNeighbours(
      JSON.stringify([{ dst: 'fe80::5054:ff:fe22:b70b', lladdr: '52:54:00:22:b7:0b', router: null, state: ['STALE'] }])
    )
    const src = { leases: [], neighbours: [...NEIGH, ...own], reservations: [], firstSeen: {}, nowSeconds: NOW }
    expect(buildGuests(src).map((g) => g.mac)).toContain('52:54:00:22:b7:0b')
    const guests = buildGuests({ ...src, hostMacs: ['52:54:00:22:B7:0B'] })
    expect(guests.map((g) => g.mac)).toEqual(['52:54:00:aa:bb:04', '52:54:00:aa:bb:01'])
  })

  it('leaves out expired leases', () => {
    const guests = buildGuests({ leases: LEASES, neighbours: [], reservations: [], firstSeen: {}, nowSeconds: NOW })
    expect(guests.some((g) => g.mac === '52:54:00:aa:bb:02')).toBe(false)
  })
})

describe('recordFirstSeen', () => {
  it('adds new MACs at now and keeps the time of those it knows', () => {
    const r = recordFirstSeen({ '52:54:00:aa:bb:01': 5 }, ['52:54:00:AA:BB:01', '52:54:00:aa:bb:09', 'junk'], NOW)
    expect(r).toEqual({ record: { '52:54:00:aa:bb:01': 5, '52:54:00:aa:bb:09': NOW }, changed: true })
    expect(recordFirstSeen(r.record, ['52:54:00:aa:bb:09'], NOW + 1).changed).toBe(false)
  })
})
