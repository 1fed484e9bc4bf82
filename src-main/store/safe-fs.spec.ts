import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { ensureOwnDirs, readTextNoFollow, UnsafePathError, writeFileAtomicSync } from './safe-fs'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gn-safe-fs-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('readTextNoFollow', () => {
  it('reads a file (positive control), and files whose size the kernel reports as 0', () => {
    writeFileSync(join(dir, 'a'), 'hello')
    expect(readTextNoFollow(join(dir, 'a'))).toBe('hello')
    expect(readTextNoFollow('/proc/self/net/dev')).toMatch(/lo:/)
    expect(readTextNoFollow(join(dir, 'missing'))).toBeNull()
  })

  it('never follows a symbolic link: a link to /etc/shadow is refused, not read', () => {
    symlinkSync('/etc/shadow', join(dir, 'x.leases'))
    expect(() => readTextNoFollow(join(dir, 'x.leases'))).toThrow(UnsafePathError)
    expect(() => readTextNoFollow(join(dir, 'x.leases'))).toThrow(/symbolic link/)
  })

  it('refuses what is not a regular file, and files over the limit', () => {
    mkdirSync(join(dir, 'd'))
    expect(() => readTextNoFollow(join(dir, 'd'))).toThrow(/not a regular file/)
    writeFileSync(join(dir, 'big'), 'x'.repeat(5000))
    expect(() => readTextNoFollow(join(dir, 'big'), 4096)).toThrow(/larger than 4096/)
  })
})

describe('writeFileAtomicSync', () => {
  it('writes with the final mode and leaves no temporary file', () => {
    writeFileAtomicSync(join(dir, 'f'), 'one', 0o600)
    expect(statSync(join(dir, 'f')).mode & 0o777).toBe(0o600)
    writeFileAtomicSync(join(dir, 'f'), 'two', 0o644)
    expect(readTextNoFollow(join(dir, 'f'))).toBe('two')
    expect(readdirSync(dir)).toEqual(['f'])
  })

  it('replaces a planted symbolic link itself, never writing through it', () => {
    const victim = join(dir, 'victim')
    writeFileSync(victim, 'keep')
    symlinkSync(victim, join(dir, 'f'))
    writeFileAtomicSync(join(dir, 'f'), 'new')
    expect(readTextNoFollow(victim)).toBe('keep')
    expect(readTextNoFollow(join(dir, 'f'))).toBe('new')
  })
})

describe('ensureOwnDirs', () => {
  it('makes the missing directories under a base, also the root directory as base', () => {
    ensureOwnDirs(dir, join(dir, 'a', 'b'))
    expect(statSync(join(dir, 'a', 'b')).isDirectory()).toBe(true)
    expect(() => ensureOwnDirs('/', '/usr')).not.toThrow(/not under/)
  })

  it('refuses a symbolic link on the way and a path outside the base', () => {
    mkdirSync(join(dir, 'real'))
    symlinkSync(join(dir, 'real'), join(dir, 'link'))
    expect(() => ensureOwnDirs(dir, join(dir, 'link', 'x'))).toThrow(/symbolic link/)
    expect(() => ensureOwnDirs(join(dir, 'a'), '/etc')).toThrow(/not under/)
  })
})
