import { describe, expect, it } from 'vitest'

import { peerInode, uidsOf } from './peer-creds'

describe('peerInode', () => {
  it('finds the peer of the socket with our inode in ss -xnH output', () => {
    const out = [
      'u_str ESTAB 0 0 /run/guestnet/.helper.sock 278191 * 278704',
      'u_str ESTAB 0 0 * 278704 * 278191',
      'u_str ESTAB 0 0 * 1346 * 1347 <->'
    ].join('\n')
    expect(peerInode(out, 278191)).toBe(278704)
    expect(peerInode(out, 1346)).toBe(1347)
    expect(peerInode(out, 999)).toBeNull()
  })
})

describe('uidsOf', () => {
  it('reads real, effective, saved and filesystem uid', () => {
    expect(uidsOf('Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n')).toEqual([1000, 0, 0, 0])
    expect(uidsOf('Name:\tx\n')).toBeNull()
  })
})
