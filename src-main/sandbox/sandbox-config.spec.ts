import { describe, expect, it } from 'vitest'

import {
  DEFAULT_SANDBOX_ROOT,
  guestHostIf,
  guestNameProblem,
  guestNamespace,
  isSandboxNamespace,
  sandboxPaths
} from './sandbox-config'

describe('sandboxPaths', () => {
  it('keeps the sandbox files under ROOT/sandbox and the store under ROOT', () => {
    const p = sandboxPaths('/tmp/sbx/')
    expect(p.root).toBe('/tmp/sbx')
    expect(p.stateFile).toBe('/tmp/sbx/sandbox/state.json')
    expect(p.runtimeDir).toBe('/tmp/sbx/run/guestnet')
    expect(p.leaseFile('g1')).toBe('/tmp/sbx/sandbox/lease-g1.env')
  })

  it('uses its own default root, never the machine store', () => {
    expect(sandboxPaths(undefined).root).toBe(DEFAULT_SANDBOX_ROOT)
    expect(() => sandboxPaths('/')).toThrow(/root of its own/)
    expect(() => sandboxPaths('relative')).toThrow(/relative path/)
  })
})

describe('guest names', () => {
  it('accepts short lower-case names that fit an interface name', () => {
    expect(guestNameProblem('guest1')).toBeNull()
    expect(guestHostIf('abcdefghijk')).toHaveLength(15)
    expect(guestNamespace('g1')).toBe('gn-sbx-g-g1')
    expect(isSandboxNamespace(guestNamespace('g1'))).toBe(true)
  })

  it('refuses names that would not fit or could escape', () => {
    for (const bad of ['', 'abcdefghijkl', 'Guest', '-g', 'a/b', 'a b', '../x']) {
      expect(guestNameProblem(bad)).toMatch(/not allowed/)
    }
  })
})
