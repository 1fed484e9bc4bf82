import { describe, expect, it } from 'vitest'

import { parseEventLines } from './parse-events'
import { partialFailure, runRequest } from './run-request'

const noop = { emit: () => undefined, shouldStop: () => false }

describe('runRequest', () => {
  it('refuses a namespace request it is not inside, before touching anything', async () => {
    const r = await runRequest(
      { verb: 'start', args: { name: 'default', netns: 'gn-no-such-ns-for-test', root: '/nonexistent/gn-test-root' } },
      { ...noop, uid: 0 }
    )
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('NETNS')
    expect(r.error.message).toMatch(/no network namespace 'gn-no-such-ns-for-test'/)
  })

  it('tells a normal user that changing verbs need root', async () => {
    for (const verb of ['start', 'stop', 'define', 'reconcile'] as const) {
      const r = await runRequest(
        { verb, args: verb === 'define' ? { xml: '<network/>' } : verb === 'reconcile' ? {} : { name: 'n' } },
        { ...noop, uid: 1000 }
      )
      expect(r.ok ? null : r.error.code).toBe('NOT_ROOT')
    }
  })
})

describe('helper output', () => {
  it('splits events from the result', () => {
    const out = parseEventLines(
      [
        '{"type":"step-started","network":"n","step":"bridge","title":"t"}',
        'not json',
        '{"type":"result","ok":false,"error":{"code":"STEP_FAILED","message":"m"}}',
        ''
      ].join('\n')
    )
    expect(out.events).toEqual([{ type: 'step-started', network: 'n', step: 'bridge', title: 't' }])
    expect(out.result).toEqual({ ok: false, error: { code: 'STEP_FAILED', message: 'm' } })
    expect(parseEventLines('').result).toBeNull()
  })

  it('counts failures reported inside a value', () => {
    expect(partialFailure({ failed: 2 })).toBe(true)
    expect(partialFailure({ failed: ['x'] })).toBe(true)
    expect(partialFailure({ failed: 0 })).toBe(false)
    expect(partialFailure({ failed: [] })).toBe(false)
    expect(partialFailure(null)).toBe(false)
  })
})
