import { afterEach, describe, expect, it, vi } from 'vitest'

import { UsageError } from '../args'
import { verbKit } from '../../../test/unit-support/verb-test-kit'
import { EXIT } from '../verb'
import { verb } from './service'

const kit = verbKit('service', verb)
afterEach(() => {
  vi.restoreAllMocks()
})

describe('guestnet service', () => {
  it('takes no arguments and no --netns (use ip netns exec)', async () => {
    await expect(kit.run('extra')).rejects.toThrow(UsageError)
    await expect(kit.run('--netns', 'x')).rejects.toThrow(/ip netns exec NS guestnet service/)
  })

  it('as a normal user starts nothing and says what to run', async () => {
    vi.spyOn(process, 'getuid').mockReturnValue(1000)
    const r = await kit.run('--idle-timeout', '30')
    expect(r.code).toBe(EXIT.environment)
    expect(r.err).toMatch(/runs as root\. Run instead:\n {2}sudo /)
  })
})
