/**
 * File operations for directories root writes to (the store, the runtime directory): never follow a
 * symbolic link at the last component, never use a predictable temporary name, create files with
 * their final mode (no chmod by path afterwards), and check every directory made or used is a real
 * directory owned by this process's user and writable by no one else. The directories above are
 * checked once, when the store's root is resolved (store/store-root.ts), so a path below a checked
 * directory cannot be swapped by anyone but root.
 */
import { randomBytes } from 'node:crypto'
import type { Stats } from 'node:fs'
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeSync
} from 'node:fs'
import { basename, dirname } from 'node:path'

export class UnsafePathError extends Error {
  constructor(
    readonly path: string,
    why: string
  ) {
    super(`refusing ${path}: ${why}`)
    this.name = 'UnsafePathError'
  }
}

export function errnoCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code
}

/** The most any file guestnet reads back may hold (a lease file of thousands of guests is far less). */
export const MAX_READ_BYTES = 16 * 1024 * 1024

const uid = (): number => process.getuid?.() ?? 0

/** Why `st` is not a directory root (or this user) alone may change, or null. */
export function unsafeDirReason(st: Stats, owner = uid()): string | null {
  if (st.isSymbolicLink()) return 'it is a symbolic link'
  if (!st.isDirectory()) return 'it is not a directory'
  if (st.uid !== owner) return `it is owned by uid ${st.uid}, not ${owner === 0 ? 'root' : `uid ${owner}`}`
  if ((st.mode & 0o022) !== 0) return `it is writable by ${(st.mode & 0o002) !== 0 ? 'everyone' : 'its group'}`
  return null
}

/**
 * The text of a regular file, or null when there is none. A symbolic link, a directory, a device or
 * a file larger than `maxBytes` is refused (UnsafePathError), never followed or read.
 */
export function readTextNoFollow(path: string, maxBytes = MAX_READ_BYTES): string | null {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (e) {
    const code = errnoCode(e)
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    if (code === 'ELOOP') throw new UnsafePathError(path, 'it is a symbolic link')
    throw e
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw new UnsafePathError(path, 'it is not a regular file')
    // Read to the end, not to the size fstat gives: files in /proc report 0, in /sys 4096.
    let buf = Buffer.alloc(Math.max(4096, Math.min(st.size + 1, maxBytes + 1)))
    let length = 0
    for (;;) {
      if (length === buf.length) {
        if (buf.length > maxBytes) throw new UnsafePathError(path, `it is larger than ${maxBytes} bytes`)
        const bigger = Buffer.alloc(Math.min(buf.length * 2, maxBytes + 1))
        buf.copy(bigger, 0, 0, length)
        buf = bigger
      }
      const n = readSync(fd, buf, length, buf.length - length, null)
      if (n === 0) break
      length += n
    }
    if (length > maxBytes) throw new UnsafePathError(path, `it is larger than ${maxBytes} bytes`)
    return buf.subarray(0, length).toString('utf8')
  } finally {
    closeSync(fd)
  }
}

/** Like readTextNoFollow, but an unsafe file reads as absent (for best-effort caches). */
export function readTextOrNull(path: string, maxBytes = MAX_READ_BYTES): string | null {
  try {
    return readTextNoFollow(path, maxBytes)
  } catch (e) {
    if (e instanceof UnsafePathError) return null
    throw e
  }
}

/** Makes `dir` if it is missing (its parent must exist) and checks it is ours alone. */
export function ensureOwnDir(dir: string, mode = 0o755): void {
  try {
    mkdirSync(dir, { mode })
  } catch (e) {
    if (errnoCode(e) !== 'EEXIST') throw e
  }
  const why = unsafeDirReason(lstatSync(dir))
  if (why) throw new UnsafePathError(dir, why)
}

/** Makes every missing directory from `base` (which must be checked already) down to `dir`. */
export function ensureOwnDirs(base: string, dir: string, mode = 0o755): void {
  const prefix = base.endsWith('/') ? base : `${base}/`
  if (dir !== base && !dir.startsWith(prefix)) throw new UnsafePathError(dir, `it is not under ${base}`)
  const parts = dir
    .slice(base.length)
    .split('/')
    .filter((p) => p !== '')
  let path = base
  for (const part of parts) {
    if (part === '.' || part === '..') throw new UnsafePathError(dir, 'it holds . or ..')
    path = path === '/' ? `/${part}` : `${path}/${part}`
    ensureOwnDir(path, mode)
  }
}

/**
 * Writes `data` to `path` atomically: a new file with a random hidden name in the same directory,
 * created exclusively (never through an existing file or link) with its final mode, then renamed
 * over `path`. `durable` also syncs the file and the directory (the store's files on disk; the
 * runtime directory is tmpfs and needs none).
 */
export function writeFileAtomicSync(path: string, data: string, mode = 0o644, durable = false): void {
  const dir = dirname(path)
  const tmp = `${dir}/.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode)
  try {
    try {
      // On the descriptor, never by path: the umask may have narrowed the mode given to open().
      fchmodSync(fd, mode)
      const buf = Buffer.from(data, 'utf8')
      let off = 0
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off)
      if (durable) fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, path)
  } catch (e) {
    try {
      unlinkSync(tmp)
    } catch {
      // already renamed or never made
    }
    throw e
  }
  if (durable) syncDir(dir)
}

function syncDir(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY)
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Removes a file (or a symbolic link itself, never its target), or an empty directory; false when absent. */
export function removePathSync(path: string): boolean {
  try {
    unlinkSync(path)
    return true
  } catch (e) {
    const code = errnoCode(e)
    if (code === 'ENOENT' || code === 'ENOTDIR') return false
    if (code === 'EISDIR' || code === 'EPERM') {
      rmdirSync(path)
      return true
    }
    throw e
  }
}
