import { describe, expect, it } from 'vitest'

import { peersSeen } from './vxlan-fdb'

// `bridge -j fdb show dev gnvx4242` on host 2 of the namespace test.
const FDB = JSON.stringify([
  { mac: 'ae:77:68:77:16:e8', ifname: 'gnvx4242', flags: [], master: 'virbr14', state: '' },
  { mac: 'ae:77:68:77:16:e8', ifname: 'gnvx4242', dst: '198.51.100.1', flags: [], state: '' },
  { mac: '46:bf:3e:7b:dc:99', ifname: 'gnvx4242', dst: '198.51.100.1', flags: [], state: '' },
  { mac: '00:00:00:00:00:00', ifname: 'gnvx4242', dst: '198.51.100.1', flags: [], state: 'permanent' },
  { mac: '00:00:00:00:00:00', ifname: 'gnvx4242', dst: '198.51.100.3', flags: [], state: 'permanent' }
])

describe('peersSeen', () => {
  it('counts the guests learned behind each peer, not the flood entries', () => {
    expect(peersSeen(FDB, ['198.51.100.1', '198.51.100.3'])).toEqual([
      { address: '198.51.100.1', seen: true, guests: 2 },
      { address: '198.51.100.3', seen: false, guests: 0 }
    ])
  })

  it('reads nothing from output that is not a list', () => {
    expect(peersSeen('not json', ['198.51.100.1'])).toEqual([{ address: '198.51.100.1', seen: false, guests: 0 }])
    expect(peersSeen('{}', [])).toEqual([])
  })
})
