import { describe, expect, it } from 'vitest'

import { guestAddresses } from './seen-addresses'

describe('the guests the host sees', () => {
  it('reads IPv4 leases and reachable IPv6 neighbours by MAC, canonically', () => {
    const leases = '1700000000 52:54:00:AA:BB:01 192.168.7.40 web *\nduid 00:01\n1700000000 1234 fd00::40 web 00:02\n'
    const neigh = JSON.stringify([
      { dst: 'FD00:7::0040', dev: 'virbr7', lladdr: '52:54:00:aa:bb:01', state: ['REACHABLE'] },
      { dst: 'fd00:7::41', dev: 'virbr7', lladdr: '52:54:00:aa:bb:02', state: ['FAILED'] },
      { dst: '192.168.7.40', dev: 'virbr7', lladdr: '52:54:00:aa:bb:01', state: ['STALE'] }
    ])
    expect(guestAddresses(leases, neigh)).toEqual({
      leases4: [{ mac: '52:54:00:aa:bb:01', address: '192.168.7.40' }],
      neighbours6: [{ mac: '52:54:00:aa:bb:01', address: 'fd00:7::40' }]
    })
  })

  it('gives nothing for hostile or missing input', () => {
    expect(guestAddresses(null, 'not json')).toEqual({ leases4: [], neighbours6: [] })
    const neigh = JSON.stringify([{ dst: 'fd00::1"; flush ruleset', lladdr: '52:54:00:aa:bb:01' }, 7, null])
    expect(guestAddresses('x y z\n', neigh)).toEqual({ leases4: [], neighbours6: [] })
  })
})
