import { describe, expect, it } from 'vitest'

import { partialFailure } from '../contract/helper-protocol'
import type { Caller } from './caller'
import { runRequest } from './run-request'

const opts = (caller: Caller, switches: string[] = []) => ({
  caller,
  switches,
  emit: () => undefined,
  shouldStop: () => false
})

describe('runRequest', () => {
  it('refuses a namespace request it is not inside, before touching anything', async () => {
    const r = await runRequest(
      { verb: 'start', args: { name: 'default', netns: 'gn-no-such-ns-for-test', root: '/nonexistent/gn-test-root' } },
      opts({ kind: 'root' })
    )
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('NETNS')
    expect(r.error.message).toMatch(/no network namespace 'gn-no-such-ns-for-test'/)
  })

  it('tells a normal user that changing verbs need root', async () => {
    const user: Caller = { kind: 'user', uid: 1000 }
    expect(await runRequest({ verb: 'define', args: { xml: '<network/>' } }, opts(user))).toMatchObject({
      ok: false,
      error: { code: 'NOT_ROOT' }
    })
    expect(await runRequest({ verb: 'reconcile', args: {} }, opts(user))).toMatchObject({ error: { code: 'NOT_ROOT' } })
    for (const verb of ['start', 'stop'] as const) {
      expect(await runRequest({ verb, args: { name: 'n' } }, opts(user))).toMatchObject({ error: { code: 'NOT_ROOT' } })
    }
  })

  it('a pkexec caller gets neither --root nor --netns nor the test switches, and nothing is touched', async () => {
    const pk: Caller = { kind: 'pkexec', uid: 1000 }
    const root = await runRequest({ verb: 'status', args: { root: '/nonexistent/gn-pk-root' } }, opts(pk))
    expect(root).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', field: 'args.root' } })
    const ns = await runRequest({ verb: 'stop', args: { name: 'n', netns: 'gn-x' } }, opts(pk))
    expect(ns).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', field: 'args.netns' } })
    const fault = await runRequest({ verb: 'status', args: {} }, opts(pk, ['GUESTNET_HELPER_FAULT']))
    expect(fault).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/FAULT/) } })
  })
})

describe('helper results', () => {
  it('counts failures reported inside a value', () => {
    expect(partialFailure({ failed: 2 })).toBe(true)
    expect(partialFailure({ failed: ['x'] })).toBe(true)
    expect(partialFailure({ failed: 0 })).toBe(false)
    expect(partialFailure({ failed: [] })).toBe(false)
    expect(partialFailure(null)).toBe(false)
  })
})
