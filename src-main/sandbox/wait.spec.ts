import { describe, expect, it } from 'vitest'

import { waitFor } from './wait'

describe('waitFor', () => {
  it('returns the first truthy value', async () => {
    let n = 0
    const value = await waitFor(async () => (++n >= 3 ? `after ${n}` : null), {
      timeoutMs: 1000,
      intervalMs: 1,
      what: 'x'
    })
    expect(value).toBe('after 3')
  })

  it('times out naming what it waited for and the last error', async () => {
    const probe = async (): Promise<string> => {
      throw new Error('not yet')
    }
    await expect(waitFor(probe, { timeoutMs: 30, intervalMs: 5, what: 'the lease' })).rejects.toThrow(
      /waiting for the lease \(last error: not yet\)/
    )
  })
})
