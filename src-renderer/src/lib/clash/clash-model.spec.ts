import { describe, expect, it } from 'vitest'

import type { LeaseView, StaleGuest } from './clash-model'
import { inIpv4Subnet, renumberedText, staleText, stillStale } from './clash-model'

describe('inIpv4Subnet', () => {
  it('tests IPv4 membership and refuses anything else', () => {
    expect(inIpv4Subnet('10.122.0.7', '10.122.0.0/24')).toBe(true)
    expect(inIpv4Subnet('10.122.1.7', '10.122.0.0/24')).toBe(false)
    expect(inIpv4Subnet('10.123.255.1', '10.122.0.0/15')).toBe(true)
    expect(inIpv4Subnet('fd00::1', '10.122.0.0/24')).toBe(false)
    expect(inIpv4Subnet('10.122.0.7', 'nonsense')).toBe(false)
  })
})

describe('stillStale', () => {
  const stale: StaleGuest[] = [
    { mac: '52:54:00:00:00:01', ip: '192.168.122.50', hostname: 'alpha' },
    { mac: '52:54:00:00:00:02', ip: '192.168.122.51', hostname: 'bravo' },
    { mac: '52:54:00:00:00:03', ip: '192.168.122.52', hostname: null }
  ]
  const lease = (mac: string, ip: string): LeaseView => ({ mac, ip, hostname: null, expiresAt: null, clientId: null })

  it('drops guests with a lease in the new range, and guests whose old lease is gone', () => {
    const leases = [
      lease('52:54:00:00:00:01', '192.168.122.50'),
      lease('52:54:00:00:00:02', '192.168.122.51'),
      lease('52:54:00:00:00:02', '10.122.0.51')
    ]
    expect(stillStale(stale, leases, '10.122.0.0/24').map((g) => g.hostname)).toEqual(['alpha'])
  })

  it('says who is left, or that everyone moved', () => {
    expect(staleText(stale.slice(0, 1))).toMatch(
      /^Still on an old address: alpha \(192\.168\.122\.50\)\. They get a new one at their next DHCP renewal/
    )
    expect(staleText([])).toBe('Every guest has an address in the new range.')
  })
})

describe('renumberedText', () => {
  const base = { name: 'default', from: '192.168.122.0/24', to: '10.122.0.0/24', staleGuests: [], message: '' }
  it('says how the network moved', () => {
    expect(renumberedText({ ...base, changed: true, live: true })).toBe(
      'Moved network default from 192.168.122.0/24 to 10.122.0.0/24 while running; attached guests stay attached.'
    )
    expect(renumberedText({ ...base, changed: true, live: false })).toMatch(/uses the new range when it next starts/)
    expect(renumberedText({ ...base, changed: false, live: false })).toBe('Network default already uses 10.122.0.0/24.')
  })
})
