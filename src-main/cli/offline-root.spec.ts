import { chownSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { parseCliArgs, UsageError } from './args'
import { offlineRoot } from './offline-root'

const asRoot = process.getuid?.() === 0

describe('offlineRoot: the --root of a verb that reads the store itself', () => {
  let dir: string
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'gn-offline-root-')))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  const args = (root: string) => parseCliArgs(['net-dumpxml', 'x', '--root', root])

  it('for a normal user: the path as given (their own rights decide what they read)', () => {
    expect(offlineRoot(args('/some/where/../else'), 1000)).toBe('/some/where/../else')
    expect(offlineRoot(parseCliArgs(['net-dumpxml', 'x']), 0)).toBeUndefined()
  })

  it.skipIf(!asRoot)('run by root: a root-owned directory, resolved through a link (positive control)', () => {
    const store = join(dir, 'store')
    mkdirSync(store)
    symlinkSync(store, join(dir, 'link'))
    expect(offlineRoot(args(join(dir, 'link')), 0)).toBe(store)
  })

  it.skipIf(!asRoot)('run by root: a directory another user could swap is refused, naming it and the fix', () => {
    const user = join(dir, 'user')
    mkdirSync(user)
    mkdirSync(join(user, 'store'))
    chownSync(user, 1000, 1000)
    expect(() => offlineRoot(args(join(user, 'store')), 0)).toThrow(UsageError)
    expect(() => offlineRoot(args(join(user, 'store')), 0)).toThrow(/owned by uid 1000.*chown root:root/)
    // A root that is not there is refused, not made, for a reader.
    expect(() => offlineRoot(args(join(dir, 'missing')), 0)).toThrow(/does not exist/)
  })
})
