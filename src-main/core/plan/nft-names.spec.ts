import { describe, expect, it } from 'vitest'

import { decodeNftName, encodeNftName, NFT_NAME_MAX, nftTableName, nftTableNameProblem } from './nft-names'

describe('nftTableName', () => {
  it('keeps letters, digits and dashes', () => {
    expect(nftTableName('default')).toBe('guestnet_default')
    expect(nftTableName('Lab-2')).toBe('guestnet_Lab-2')
  })

  it('escapes every other byte, the underscore included', () => {
    expect(nftTableName('my_net')).toBe('guestnet_my_5fnet')
    expect(nftTableName('a.b+c')).toBe('guestnet_a_2eb_2bc')
    expect(nftTableName('default"with"quotes"')).toBe('guestnet_default_22with_22quotes_22')
    expect(nftTableName('é')).toBe('guestnet__c3_a9')
  })

  it('only ever yields nft identifier characters', () => {
    for (const name of ['x y', 'a/b', '{}', ';', '#', '\\', 'ü', 'a..b']) {
      expect(nftTableName(name)).toMatch(/^guestnet_[A-Za-z0-9_-]+$/)
    }
  })

  it('is injective: decoding gives the name back, and look-alike names differ', () => {
    const names = [
      'my_net',
      'my_5fnet',
      'my.net',
      'my_2enet',
      'my-net',
      'MY-net',
      '_',
      '__',
      '_5f',
      'a b',
      'ab',
      'é',
      'e'
    ]
    const encoded = names.map(encodeNftName)
    expect(new Set(encoded).size).toBe(names.length)
    for (const name of names) expect(decodeNftName(encodeNftName(name))).toBe(name)
  })

  it('refuses a name whose table name nft cannot hold', () => {
    expect(nftTableNameProblem('a'.repeat(NFT_NAME_MAX - 'guestnet_'.length))).toBeNull()
    expect(nftTableNameProblem('a'.repeat(NFT_NAME_MAX - 'guestnet_'.length + 1))).toMatch(/over nft's limit of 255/)
    expect(nftTableNameProblem('.'.repeat(90))).toMatch(/279 characters/)
  })
})
