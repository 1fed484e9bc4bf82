import { describe, expect, it } from 'vitest'

import { isSameProcess, processIdentity, processNetns } from './process-identity'

describe.skipIf(process.platform !== 'linux')('process identity', () => {
  it('recognises a live process by PID and start time', () => {
    const me = processIdentity(process.pid)
    expect(me?.startTime).toMatch(/^\d+$/)
    expect(me && isSameProcess(me)).toBe(true)
    expect(isSameProcess({ pid: process.pid, startTime: '1' })).toBe(false)
    expect(processNetns(process.pid)).toMatch(/^net:\[\d+\]$/)
  })

  it('knows nothing of a PID that does not exist', () => {
    expect(processIdentity(2 ** 22 + 1)).toBeNull()
  })
})
