import { describe, expect, it } from 'vitest'

import type { HelperRequest } from '../contract/helper-protocol'
import { HelperError } from '../contract/helper-protocol'
import type { Caller } from './caller'
import { callerOfProcess, callerRefusal } from './caller'

const start: HelperRequest = { verb: 'start', args: { name: 'default' } }
const status: HelperRequest = { verb: 'status', args: {} }
const withRoot: HelperRequest = { verb: 'start', args: { name: 'default', root: '/tmp/x' } }
const withNetns: HelperRequest = { verb: 'status', args: { netns: 'ns1' } }
const doctorFix: HelperRequest = { verb: 'doctor', args: { fix: 'all' } }

describe('callerOfProcess', () => {
  it('is root without pkexec, pkexec with PKEXEC_UID, a user otherwise', () => {
    expect(callerOfProcess(0, undefined)).toEqual({ kind: 'root' })
    expect(callerOfProcess(0, '1000')).toEqual({ kind: 'pkexec', uid: 1000 })
    expect(callerOfProcess(1000, undefined)).toEqual({ kind: 'user', uid: 1000 })
    // PKEXEC_UID only ever makes a caller less trusted.
    expect(callerOfProcess(1000, '0')).toEqual({ kind: 'user', uid: 1000 })
  })

  it('refuses a PKEXEC_UID that is not a uid', () => {
    expect(() => callerOfProcess(0, '1000; rm')).toThrow(HelperError)
    expect(() => callerOfProcess(0, '')).toThrow(HelperError)
  })
})

describe('callerRefusal', () => {
  const root: Caller = { kind: 'root' }
  const pk: Caller = { kind: 'pkexec', uid: 1000 }
  const peer: Caller = { kind: 'peer', uid: 1000, pid: 42 }
  const user: Caller = { kind: 'user', uid: 1000 }

  it('lets root use every option and the test switches (positive control)', () => {
    for (const r of [start, withRoot, withNetns, doctorFix])
      expect(callerRefusal(r, root, ['GUESTNET_HELPER_FAULT'])).toBeNull()
  })

  it('gives pkexec and socket peers the system store in their own namespace only', () => {
    for (const c of [pk, peer]) {
      expect(callerRefusal(withRoot, c, [])).toMatchObject({ code: 'BAD_REQUEST', field: 'args.root' })
      expect(callerRefusal(withNetns, c, [])).toMatchObject({ code: 'BAD_REQUEST', field: 'args.netns' })
      expect(callerRefusal(status, c, ['GUESTNET_TIMING'])?.message).toMatch(/GUESTNET_TIMING is for root callers/)
      expect(callerRefusal(status, c, [])).toBeNull()
    }
    expect(callerRefusal(start, pk, [])).toBeNull()
  })

  it('lets a non-root socket peer read only', () => {
    expect(callerRefusal(start, peer, [])).toMatchObject({ code: 'NOT_AUTHORISED' })
    expect(callerRefusal(doctorFix, peer, [])).toMatchObject({ code: 'NOT_AUTHORISED' })
    expect(callerRefusal({ verb: 'doctor', args: {} }, peer, [])).toBeNull()
  })

  it('tells a normal user what needs root', () => {
    expect(callerRefusal(start, user, [])).toMatchObject({ code: 'NOT_ROOT' })
    expect(callerRefusal(withNetns, user, [])).toMatchObject({ code: 'NOT_ROOT', field: 'args.netns' })
    expect(callerRefusal(status, user, [])).toBeNull()
  })
})
