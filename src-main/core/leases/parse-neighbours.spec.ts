import { describe, expect, it } from 'vitest'

import { parseNeighbours } from './parse-neighbours'

describe('parseNeighbours', () => {
  it("reads ip -j neigh's entries, canonical addresses and lower-case MACs", () => {
    const json = JSON.stringify([
      { dst: 'fd00:50:0:0::abcd', lladdr: '52:54:00:AA:BB:01', state: ['STALE'] },
      { dst: '192.168.50.120', lladdr: '52:54:00:aa:bb:01', state: ['REACHABLE'] },
      { dst: 'fe80::5054:ff:feaa:bb01', lladdr: '52:54:00:aa:bb:01', router: null, state: ['DELAY', 'PROBE'] }
    ])
    expect(parseNeighbours(json)).toEqual([
      { family: 'ipv6', ip: 'fd00:50::abcd', mac: '52:54:00:aa:bb:01', state: 'STALE' },
      { family: 'ipv4', ip: '192.168.50.120', mac: '52:54:00:aa:bb:01', state: 'REACHABLE' },
      { family: 'ipv6', ip: 'fe80::5054:ff:feaa:bb01', mac: '52:54:00:aa:bb:01', state: 'DELAY' }
    ])
  })

  it('leaves out entries without a usable link-layer address or address, and output that is not a list', () => {
    const json = JSON.stringify([
      { dst: '192.168.50.9', state: ['FAILED'] },
      { dst: '192.168.50.8', lladdr: 'nonsense', state: ['STALE'] },
      { dst: 'not-an-ip', lladdr: '52:54:00:aa:bb:01' },
      'junk',
      null
    ])
    expect(parseNeighbours(json)).toEqual([])
    expect(parseNeighbours('{"dst":1}')).toEqual([])
    expect(parseNeighbours('not json')).toEqual([])
  })
})
