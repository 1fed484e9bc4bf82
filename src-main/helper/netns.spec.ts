import { describe, expect, it } from 'vitest'

import { netnsNameProblem } from '../core/net/netns-name'
import { decideNetns } from './netns'

const ROOT_NS = '4:4026531840'
const TEST_NS = '4:4026532176'

describe('decideNetns: a namespace request never acts outside its namespace', () => {
  it('re-executes when the helper runs in the machine’s own namespace', () => {
    expect(decideNetns('gn-1', { self: ROOT_NS, target: TEST_NS, init: ROOT_NS }, false)).toEqual({ action: 'reexec' })
  })

  it('proceeds only when already inside the named namespace', () => {
    expect(decideNetns('gn-1', { self: TEST_NS, target: TEST_NS, init: ROOT_NS }, true)).toEqual({ action: 'proceed' })
  })

  it('refuses (does not loop, does not proceed) when the re-executed child is still outside', () => {
    expect(decideNetns('gn-1', { self: ROOT_NS, target: TEST_NS, init: ROOT_NS }, true).action).toBe('refuse')
  })

  it('refuses a name bound to the machine’s own namespace', () => {
    const d = decideNetns('sneaky', { self: ROOT_NS, target: ROOT_NS, init: ROOT_NS }, false)
    expect(d.action).toBe('refuse')
    if (d.action === 'refuse') expect(d.message).toMatch(/machine's own namespace/)
  })

  it('refuses a namespace that does not exist, naming the fix', () => {
    const d = decideNetns('nope', { self: ROOT_NS, target: null, init: ROOT_NS }, false)
    expect(d).toMatchObject({ action: 'refuse', fix: 'create it first: ip netns add nope' })
  })

  it('refuses when its own namespace cannot be read', () => {
    expect(decideNetns('gn-1', { self: null, target: TEST_NS, init: ROOT_NS }, false).action).toBe('refuse')
  })

  it('never proceeds outside the namespace, whatever the identities', () => {
    const ids = [null, ROOT_NS, TEST_NS, '4:1']
    for (const self of ids)
      for (const target of ids)
        for (const init of ids)
          for (const child of [false, true]) {
            const d = decideNetns('gn-1', { self, target, init }, child)
            if (d.action === 'proceed') {
              expect(self).not.toBeNull()
              expect(self).toBe(target)
              expect(target).not.toBe(init)
            }
          }
  })

  it('without --netns acts where it runs', () => {
    expect(decideNetns(undefined, { self: ROOT_NS, target: null, init: ROOT_NS }, false)).toEqual({ action: 'proceed' })
  })

  it('checks namespace names', () => {
    expect(netnsNameProblem('gn-h-123')).toBeNull()
    for (const bad of ['', '.', '..', 'a/b', 'a b', '$(id)', 'x'.repeat(65)])
      expect(netnsNameProblem(bad)).not.toBeNull()
  })
})
