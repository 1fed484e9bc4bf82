import { describe, expect, it } from 'vitest'

import type { HelperRequest } from '../../contract/helper-protocol'
import { wakesService } from './wake'

const req = (verb: string, args: Record<string, unknown>): HelperRequest => ({ verb, args }) as HelperRequest

describe('waking the service after a one-shot start', () => {
  it('knocks after a start, an apply or autostart-all of the system store', () => {
    expect(wakesService(req('start', { name: 'default' }))).toBe(true)
    expect(wakesService(req('apply', { name: 'default', state: 'active' }))).toBe(true)
    expect(wakesService(req('autostart-all', {}))).toBe(true)
  })

  it('not after anything else, nor for a test root or another namespace', () => {
    expect(wakesService(req('stop', { name: 'default' }))).toBe(false)
    expect(wakesService(req('status', {}))).toBe(false)
    expect(wakesService(req('start', { name: 'default', root: '/tmp/r' }))).toBe(false)
    expect(wakesService(req('start', { name: 'default', netns: 'gn' }))).toBe(false)
  })
})
