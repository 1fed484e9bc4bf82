import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { pathExists, readTextIfExists, removeFileDurable, writeFileAtomic } from './atomic-file'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guestnet-atomic-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('writeFileAtomic', () => {
  it('creates missing directories, writes mode 0644 and leaves no temporary file', async () => {
    const file = join(dir, 'a', 'b', 'net.xml')
    const old = process.umask(0o077)
    try {
      await writeFileAtomic(file, '<network/>\n')
    } finally {
      process.umask(old)
    }
    expect(await readFile(file, 'utf8')).toBe('<network/>\n')
    expect((await stat(file)).mode & 0o777).toBe(0o644)
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['net.xml'])
  })
  it('replaces existing content whole', async () => {
    const file = join(dir, 'x')
    await writeFile(file, 'old content that is longer')
    await writeFileAtomic(file, 'new')
    expect(await readFile(file, 'utf8')).toBe('new')
    expect(await readdir(dir)).toEqual(['x'])
  })
  it('cleans up its temporary file when the rename fails', async () => {
    const target = join(dir, 'is-a-dir')
    await writeFileAtomic(join(target, 'inner'), 'x')
    await expect(writeFileAtomic(target, 'y')).rejects.toThrow()
    expect((await readdir(dir)).sort()).toEqual(['is-a-dir'])
  })
})

describe('small helpers', () => {
  it('read, test and remove files that may be missing', async () => {
    const file = join(dir, 'f')
    expect(await readTextIfExists(file)).toBeNull()
    expect(await pathExists(file)).toBe(false)
    expect(await removeFileDurable(file)).toBe(false)
    await writeFileAtomic(file, 'hi')
    expect(await readTextIfExists(file)).toBe('hi')
    expect(await pathExists(file)).toBe(true)
    expect(await removeFileDurable(file)).toBe(true)
    expect(await pathExists(file)).toBe(false)
  })
})
