import { describe, expect, it } from 'vitest'

import { namespacedArgvProblem, ownerByPrefix } from './ns-guard'

const ours = ownerByPrefix('gnt-1-')
const allowed = (argv: string[]): boolean => namespacedArgvProblem(argv, ours) === null

describe('namespacedArgvProblem', () => {
  it('allows ip -n for our namespaces, with harmless flags', () => {
    expect(allowed(['ip', '-n', 'gnt-1-h', 'link', 'set', 'lo', 'up'])).toBe(true)
    expect(allowed(['ip', '-j', '-n', 'gnt-1-h', '-6', 'addr', 'show'])).toBe(true)
    expect(
      allowed(['ip', '-n', 'gnt-1-h', 'link', 'add', 'a', 'type', 'veth', 'peer', 'name', 'b', 'netns', 'gnt-1-g'])
    ).toBe(true)
  })

  it('allows exec, add, del and pids in our namespaces and listing', () => {
    expect(allowed(['ip', 'netns', 'exec', 'gnt-1-h', 'nft', 'list', 'ruleset'])).toBe(true)
    expect(allowed(['ip', 'netns', 'exec', 'gnt-1-h', 'busybox', 'udhcpc', '-a'])).toBe(true)
    expect(allowed(['ip', 'netns', 'add', 'gnt-1-h'])).toBe(true)
    expect(allowed(['ip', 'netns', 'del', 'gnt-1-h'])).toBe(true)
    expect(allowed(['ip', 'netns', 'pids', 'gnt-1-h'])).toBe(true)
    expect(allowed(['ip', 'netns', 'list'])).toBe(true)
  })

  it('refuses anything that would run in the root namespace', () => {
    expect(namespacedArgvProblem(['ip', 'link', 'add', 'br0', 'type', 'bridge'], ours)).toMatch(
      /does not name a namespace/
    )
    expect(namespacedArgvProblem(['nft', 'list', 'ruleset'], ours)).toMatch(/only 'ip -n NS/)
    expect(namespacedArgvProblem(['sysctl', '-w', 'net.ipv4.ip_forward=1'], ours)).toMatch(/only/)
    expect(allowed(['ip', '-all', 'netns', 'exec', 'true'])).toBe(false)
    expect(allowed(['ip', '-batch', 'file'])).toBe(false)
  })

  it('refuses namespaces that are not ours', () => {
    expect(namespacedArgvProblem(['ip', '-n', 'other', 'link'], ours)).toMatch(/'other' is not one of ours/)
    expect(allowed(['ip', 'netns', 'exec', 'gnt-2-h', 'true'])).toBe(false)
    expect(allowed(['ip', 'netns', 'del', 'prod'])).toBe(false)
    expect(allowed(['ip', '-n'])).toBe(false)
    expect(allowed(['ip', 'netns', 'exec', 'gnt-1-h'])).toBe(false)
    expect(allowed(['ip', 'netns', 'set', 'gnt-1-h', '3'])).toBe(false)
  })

  it('refuses moving an interface to a namespace that is not ours or to a PID', () => {
    const base = ['ip', '-n', 'gnt-1-h', 'link', 'set', 'veth0', 'netns']
    expect(namespacedArgvProblem([...base, '1'], ours)).toMatch(/netns 1/)
    expect(allowed([...base, 'elsewhere'])).toBe(false)
    expect(allowed([...base])).toBe(false)
    expect(allowed([...base, 'gnt-1-g'])).toBe(true)
  })
})

describe('ownerByPrefix', () => {
  it('accepts names with the prefix and plain characters only', () => {
    expect(ours('gnt-1-h')).toBe(true)
    expect(ours('gnt-1-')).toBe(false)
    expect(ours('gnt-12-h')).toBe(false)
    expect(ours('gnt-1-a/../b')).toBe(false)
  })
})
