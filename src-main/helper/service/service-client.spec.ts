import { afterEach, describe, expect, it, vi } from 'vitest'

import type { HelperRequest } from '../protocol'
import { serviceWanted, tryService } from './service-client'

const req = (args: HelperRequest['args'] = {}): HelperRequest => ({ verb: 'start', args: { name: 'n', ...args } })

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('serviceWanted', () => {
  it('asks the service as root, in its own namespace, unless told not to', () => {
    vi.stubEnv('GUESTNET_SERVICE', undefined)
    vi.stubEnv('GUESTNET_HELPER_FAULT', undefined)
    expect(serviceWanted(req(), 0)).toBe(true)
    expect(serviceWanted(req(), 1000)).toBe(false)
    expect(serviceWanted(req({ netns: 'x' }), 0)).toBe(false)
    vi.stubEnv('GUESTNET_SERVICE', 'off')
    expect(serviceWanted(req(), 0)).toBe(false)
  })

  it('never with the fault switch set: only this process would see it', () => {
    vi.stubEnv('GUESTNET_SERVICE', undefined)
    vi.stubEnv('GUESTNET_HELPER_FAULT', 'fail:bridge')
    expect(serviceWanted(req(), 0)).toBe(false)
  })
})

describe('tryService', () => {
  it('is null when nothing listens for the root (the caller then runs the request itself)', async () => {
    vi.stubEnv('GUESTNET_SERVICE', undefined)
    vi.stubEnv('GUESTNET_HELPER_FAULT', undefined)
    expect(await tryService(req({ root: '/nonexistent/guestnet-test-root' }))).toBeNull()
  })
})
