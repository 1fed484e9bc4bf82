import { describe, expect, it } from 'vitest'

import type { IpSession } from '../run/ip-session'
import type { NftLoader } from '../run/nft-loader'
import { WarmPool } from './warm-pool'

function fakes() {
  const log: string[] = []
  let n = 0
  const make = {
    ip: () => {
      const id = ++n
      const s = { alive: true, close: () => log.push(`close ip${id}`) }
      log.push(`start ip${id}`)
      return s as unknown as IpSession
    },
    nft: () => {
      const id = ++n
      const l = { alive: true, discard: () => log.push(`discard nft${id}`) }
      log.push(`start nft${id}`)
      return l as unknown as NftLoader
    }
  }
  return { make, log }
}

describe('WarmPool', () => {
  it('hands each process to one request only, and starts new ones at refill', () => {
    const { make, log } = fakes()
    const pool = new WarmPool(make)
    pool.refill()
    const ip = pool.takeIpSession()
    expect(ip).not.toBeNull()
    expect(pool.takeIpSession()).toBeNull()
    expect(pool.takeNft()).not.toBeNull()
    expect(pool.takeNft()).toBeNull()
    expect(pool.takeLister()).not.toBeNull()
    expect(pool.takeLister()).toBeNull()
    pool.refill()
    expect(log).toEqual(['start ip1', 'start nft2', 'start nft3', 'start ip4', 'start nft5', 'start nft6'])
  })

  it('replaces a process that died while waiting, and never hands out a dead one', () => {
    const { make, log } = fakes()
    const pool = new WarmPool(make)
    pool.refill()
    const ip = pool.takeIpSession() as unknown as { alive: boolean }
    expect(ip.alive).toBe(true)
    pool.refill()
    ;(pool as unknown as { ip: { alive: boolean } }).ip.alive = false
    expect(pool.takeIpSession()).toBeNull()
    pool.refill()
    expect(log.filter((l) => l.startsWith('start ip'))).toHaveLength(3)
  })

  it('ends what it holds at dispose', () => {
    const { make, log } = fakes()
    const pool = new WarmPool(make)
    pool.refill()
    pool.dispose()
    expect(log).toEqual(['start ip1', 'start nft2', 'start nft3', 'close ip1', 'discard nft2', 'discard nft3'])
    expect(pool.takeIpSession()).toBeNull()
    expect(pool.takeLister()).toBeNull()
  })
})
