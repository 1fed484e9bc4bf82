/**
 * Small synchronous file helpers for the runtime directory (tmpfs: no fsync needed to survive a
 * crash of the helper, and sync calls keep the start path short). Writes are atomic: a hidden
 * temporary file in the same directory renamed over the target.
 */
import { mkdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs'
import { basename, dirname } from 'node:path'

export function errnoCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code
}

export function writeAtomicSync(path: string, data: string, mode = 0o644): void {
  const dir = dirname(path)
  mkdirSync(dir, { recursive: true, mode: 0o755 })
  const tmp = `${dir}/.${basename(path)}.tmp-${process.pid}`
  try {
    writeFileSync(tmp, data, { mode, flag: 'w' })
    renameSync(tmp, path)
  } catch (e) {
    try {
      unlinkSync(tmp)
    } catch {
      // nothing to clean
    }
    throw e
  }
}

export function readTextSync(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'ENOTDIR') return null
    throw e
  }
}

/** Removes a file, or an empty directory; false when it was not there. */
export function removePathSync(path: string): boolean {
  try {
    unlinkSync(path)
    return true
  } catch (e) {
    const code = errnoCode(e)
    if (code === 'ENOENT') return false
    if (code === 'EISDIR' || code === 'EPERM') {
      rmdirSync(path)
      return true
    }
    throw e
  }
}
