import { describe, expect, it } from 'vitest'

import { nameOfKey, networkKey } from './network-key'

describe('networkKey', () => {
  it('keeps the names guestnet always allowed as they are (existing stores keep their files)', () => {
    for (const name of ['default', 'my-lab', 'a_b', 'net.2', 'x+y', '_under']) {
      expect(networkKey(name)).toBe(name)
      expect(nameOfKey(name)).toBe(name)
    }
  })

  it("spells any other name as one safe component that reads back, libvirt's quotes test included", () => {
    const names = ['default"with"quotes"', 'my lab', '.hidden', '-dash', 'ünïcode', "a'b;$(id)#x", 'a%b']
    for (const name of names) {
      const key = networkKey(name)
      expect(key, name).toMatch(/^%[A-Za-z0-9_-]+$/)
      expect(nameOfKey(key), name).toBe(name)
    }
    expect(networkKey('default"with"quotes"')).toBe('%default_22with_22quotes_22')
    expect(new Set(names.map(networkKey)).size).toBe(names.length)
  })

  it('reads no key guestnet would not make', () => {
    // `%abc` would be the plain name 'abc', spelled otherwise; the rest are not keys at all.
    for (const text of ['%', '%a b', '%_zz', '%abc', '.x', '-x', 'a/b', '']) expect(nameOfKey(text), text).toBeNull()
  })
})
