/**
 * The store root a process running as root acts on. Without `--root`, the system's own directories.
 * With `--root DIR` (root callers in tests only, helper/caller.ts; the CLI's offline verbs run by
 * root), the directory is resolved with realpath first — symbolic links, `..` and /proc/PID/root
 * paths all become the one real path in this process's own view — then every directory from `/`
 * down to it must be root's alone: owned by root and writable by no one else (a root-owned directory
 * with the sticky bit, such as /tmp, may be passed through). Only the resolved path is used
 * afterwards, so nobody but root can swap anything under it while root works there. A missing DIR
 * is created, the last component only, under a parent that passed the same check.
 */
import type { Stats } from 'node:fs'
import { lstatSync, mkdirSync, realpathSync } from 'node:fs'
import { basename, dirname } from 'node:path'

import { StoreRootError } from '../core/store/store-layout'
import { errnoCode, unsafeDirReason } from './safe-fs'

export interface RootFs {
  realpath(path: string): string
  lstat(path: string): Stats
  mkdir(path: string): void
}

const realFs: RootFs = {
  realpath: (p) => realpathSync.native(p),
  lstat: (p) => lstatSync(p),
  mkdir: (p) => mkdirSync(p, { mode: 0o755 })
}

/** Kernel views whose paths mean other things than files of ours. */
const PSEUDO = ['/proc', '/sys']

function badRoot(root: string, why: string, fix?: string): StoreRootError {
  return new StoreRootError(
    `--root ${root}: ${why}`,
    fix ?? 'give a directory only root can change, e.g. one made by mktemp -d as root'
  )
}

/** `/a/b/c` → `/`, `/a`, `/a/b`, `/a/b/c`. */
function chain(path: string): string[] {
  const out: string[] = ['/']
  let at = ''
  for (const part of path.split('/').filter((p) => p !== '')) {
    at = `${at}/${part}`
    out.push(at)
  }
  return out
}

/** Why a directory on the way to the root (not the root itself) is unsafe, or null; sticky root dirs pass. */
function unsafeAncestor(st: Stats): string | null {
  const why = unsafeDirReason(st, 0)
  if (why === null) return null
  const stickyRootDir = st.isDirectory() && !st.isSymbolicLink() && st.uid === 0 && (st.mode & 0o1000) !== 0
  return stickyRootDir ? null : why
}

/** Checks every directory from / to `real`; the last one as the root itself unless `ancestorsOnly`. */
function checkChain(root: string, real: string, fs: RootFs, ancestorsOnly = false): void {
  const dirs = chain(real)
  dirs.forEach((dir, i) => {
    let st: Stats
    try {
      st = fs.lstat(dir)
    } catch (e) {
      throw badRoot(root, `${dir} cannot be examined (${errnoCode(e) ?? String(e)})`)
    }
    const why = i === dirs.length - 1 && !ancestorsOnly ? unsafeDirReason(st, 0) : unsafeAncestor(st)
    if (why) {
      throw badRoot(
        root,
        `${dir}${dir === real ? '' : ` (on the way to ${real})`} ${why}`,
        `chown root:root ${dir} && chmod go-w ${dir}, or use a directory made by root`
      )
    }
  })
}

/** The checked, resolved `--root`; throws StoreRootError naming the directory at fault, with a fix. */
/** `create`: make a missing DIR (false for readers: a root that is not there is refused). */
export function resolveStoreRoot(root: string, fs: RootFs = realFs, create = true): string {
  if (!root.startsWith('/') || root.includes('\0')) throw badRoot(root, 'it must be an absolute directory')
  let real: string
  try {
    real = fs.realpath(root)
  } catch (e) {
    if (errnoCode(e) !== 'ENOENT') throw badRoot(root, `it cannot be resolved (${errnoCode(e) ?? String(e)})`)
    if (!create) throw badRoot(root, 'it does not exist', 'give the directory the store was made in')
    real = createRoot(root, fs)
  }
  if (PSEUDO.some((p) => real === p || real.startsWith(`${p}/`))) {
    throw badRoot(root, `it resolves to ${real}, inside the kernel's ${real.split('/')[1]} view`)
  }
  if (real === '/') throw badRoot(root, 'it resolves to /: leave out --root for the system store')
  checkChain(root, real, fs)
  return real
}

function createRoot(root: string, fs: RootFs): string {
  const leaf = basename(root)
  if (leaf === '' || leaf === '.' || leaf === '..') throw badRoot(root, 'it does not exist')
  let parent: string
  try {
    parent = fs.realpath(dirname(root))
  } catch (e) {
    throw badRoot(root, `neither it nor its parent exists (${errnoCode(e) ?? String(e)})`, 'create its parent first')
  }
  checkChain(root, parent, fs, true)
  const real = parent === '/' ? `/${leaf}` : `${parent}/${leaf}`
  try {
    fs.mkdir(real)
  } catch (e) {
    if (errnoCode(e) !== 'EEXIST') throw badRoot(root, `cannot create it (${errnoCode(e) ?? String(e)})`)
  }
  return real
}
