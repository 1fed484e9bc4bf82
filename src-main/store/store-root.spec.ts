import type { Stats } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { StoreRootError } from '../core/store/store-layout'
import type { RootFs } from './store-root'
import { resolveStoreRoot } from './store-root'

interface Node {
  uid: number
  mode: number
  link?: string
}

/** A little file system: directories by path, some of them symbolic links. */
function fakeFs(nodes: Record<string, Node>, made: string[] = []): RootFs {
  const stat = (path: string): Stats => {
    const n = nodes[path]
    if (!n) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' })
    return {
      uid: n.uid,
      mode: n.mode,
      isDirectory: () => n.link === undefined,
      isSymbolicLink: () => n.link !== undefined
    } as unknown as Stats
  }
  const realpath = (path: string): string => {
    let out = ''
    for (const part of path.split('/').filter((p) => p !== '')) {
      if (part === '..') {
        out = out.slice(0, out.lastIndexOf('/'))
        continue
      }
      out = `${out}/${part}`
      const n = nodes[out]
      if (!n) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' })
      if (n.link !== undefined) out = n.link
    }
    return out === '' ? '/' : out
  }
  return {
    realpath,
    lstat: stat,
    mkdir: (p) => {
      made.push(p)
      nodes[p] = { uid: 0, mode: 0o40755 }
    }
  }
}

const base: Record<string, Node> = {
  '/': { uid: 0, mode: 0o40755 },
  '/tmp': { uid: 0, mode: 0o41777 },
  '/tmp/r': { uid: 0, mode: 0o40755 },
  '/usr': { uid: 0, mode: 0o40755 },
  '/usr/lib': { uid: 0, mode: 0o40755 },
  '/tmp/u': { uid: 1000, mode: 0o40755 },
  '/tmp/u/lib': { uid: 0, mode: 0o40755 },
  '/tmp/u/L': { uid: 1000, mode: 0o120777, link: '/usr/bin' },
  '/usr/bin': { uid: 0, mode: 0o40755 },
  '/tmp/open': { uid: 0, mode: 0o40777 }
}

function refused(root: string, fs: RootFs): StoreRootError {
  try {
    resolveStoreRoot(root, fs)
  } catch (e) {
    if (e instanceof StoreRootError) return e
    throw e
  }
  throw new Error(`accepted ${root}`)
}

describe('resolveStoreRoot', () => {
  it('accepts a root-owned directory under the sticky /tmp (positive control)', () => {
    expect(resolveStoreRoot('/tmp/r', fakeFs({ ...base }))).toBe('/tmp/r')
  })

  it('resolves ../ and links first, then checks the real path: the L/../lib trick reaches the user-owned /tmp/u', () => {
    // Textually /tmp/u/L/../lib is /tmp/u/lib; with L → /usr/bin it is /usr/lib. Either way the
    // helper checks and uses the one real path, and /tmp/u (the user's) fails the check.
    const e = refused('/tmp/u/lib', fakeFs({ ...base }))
    expect(e.message).toMatch(/\/tmp\/u .*owned by uid 1000/)
  })

  it('uses the resolved path, not the text it was given', () => {
    expect(resolveStoreRoot('/tmp/u/L/../lib', fakeFs({ ...base }))).toBe('/usr/lib')
  })

  it('refuses a world-writable root, and kernel views', () => {
    expect(refused('/tmp/open', fakeFs({ ...base })).message).toMatch(/writable by everyone/)
    expect(refused('/tmp/open', fakeFs({ ...base })).fix).toMatch(/chmod go-w \/tmp\/open/)
    expect(
      refused(
        '/proc/1/root/tmp',
        fakeFs({
          ...base,
          '/proc': { uid: 0, mode: 0o40555 },
          '/proc/1': { uid: 0, mode: 0o40555 },
          '/proc/1/root': { uid: 0, mode: 0o120777, link: '/proc/1/root-view' },
          '/proc/1/root-view': { uid: 0, mode: 0o40755 },
          '/proc/1/root-view/tmp': { uid: 0, mode: 0o41777 }
        })
      ).message
    ).toMatch(/kernel/)
  })

  it('creates only the last component, under a checked parent', () => {
    const made: string[] = []
    expect(resolveStoreRoot('/tmp/new', fakeFs({ ...base }, made))).toBe('/tmp/new')
    expect(made).toEqual(['/tmp/new'])
    expect(refused('/tmp/u/new', fakeFs({ ...base }, made)).message).toMatch(/\/tmp\/u /)
    expect(made).toEqual(['/tmp/new'])
    expect(refused('/tmp/no/such/dir', fakeFs({ ...base })).message).toMatch(/neither it nor its parent exists/)
  })

  it('refuses / itself and relative paths', () => {
    expect(refused('/', fakeFs({ ...base })).message).toMatch(/system store/)
    expect(refused('tmp/r', fakeFs({ ...base })).message).toMatch(/absolute/)
  })
})
