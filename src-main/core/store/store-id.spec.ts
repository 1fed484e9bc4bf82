import { describe, expect, it } from 'vitest'

import { describeOwner, ownerMark, storeIdOf, storeOfMark, SYSTEM_STORE } from './store-id'

describe('store ids and owner marks', () => {
  it('names the system store and hashes a --root directory', () => {
    expect(storeIdOf(undefined)).toBe(SYSTEM_STORE)
    expect(storeIdOf('/tmp/a')).toMatch(/^root-[0-9a-f]{12}$/)
    expect(storeIdOf('/tmp/a')).not.toBe(storeIdOf('/tmp/b'))
  })

  it('marks a network so two stores never share a mark, and the mark reads back', () => {
    const a = ownerMark(storeIdOf('/tmp/a'), 'default')
    const b = ownerMark(storeIdOf('/tmp/b'), 'default')
    expect(a).not.toBe(b)
    expect(ownerMark(SYSTEM_STORE, 'my-lab')).toBe('guestnet:system:my-lab')
    expect(ownerMark(SYSTEM_STORE, 'a b"c')).toBe('guestnet:system:a_20b_22c')
    expect(storeOfMark(a)).toBe(storeIdOf('/tmp/a'))
    expect(storeOfMark('libvirt')).toBeNull()
  })

  it('keeps long names short enough for an interface alias and an nft comment', () => {
    const mark = ownerMark(SYSTEM_STORE, 'é'.repeat(100))
    expect(mark.length).toBeLessThanOrEqual(128)
    expect(mark).toMatch(/^guestnet:system:h-[0-9a-f]{32}$/)
    expect(ownerMark(SYSTEM_STORE, 'é'.repeat(100))).toBe(mark)
  })

  it('says whose an object is', () => {
    expect(describeOwner(ownerMark(SYSTEM_STORE, 'x'), SYSTEM_STORE)).toMatch(/this store/)
    expect(describeOwner(ownerMark('root-0123456789ab', 'x'), SYSTEM_STORE)).toMatch(/--root store root-0123456789ab/)
    expect(describeOwner(null, SYSTEM_STORE)).toMatch(/no guestnet owner mark/)
  })
})
