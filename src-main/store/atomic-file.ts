/**
 * The store's file operations, on safe-fs.ts: a write goes to a new file with a random hidden name
 * in the same directory (never through an existing file or link), is synced, renamed over the target
 * and the directory synced, so after a crash the file holds either the old or the new content. Reads
 * never follow a symbolic link.
 */
import { lstatSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

import {
  errnoCode,
  readTextNoFollow,
  removePathSync,
  UnsafePathError,
  unsafeDirReason,
  writeFileAtomicSync
} from './safe-fs'

export const FILE_MODE = 0o644
export const DIR_MODE = 0o755

/** Makes `dir` (and missing parents, mode 0755) and checks the directory itself is ours alone. */
export async function ensureDir(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE })
  const why = unsafeDirReason(lstatSync(dir))
  if (why) throw new UnsafePathError(dir, why)
}

export async function writeFileAtomic(path: string, data: string, mode = FILE_MODE): Promise<void> {
  await ensureDir(dirname(path))
  writeFileAtomicSync(path, data, mode, true)
}

/** Removes `path`; false when it did not exist. */
export async function removeFileDurable(path: string): Promise<boolean> {
  return removePathSync(path)
}

export async function readTextIfExists(path: string): Promise<string | null> {
  return readTextNoFollow(path)
}

/** Something is at `path` (a symbolic link counts, and is not followed). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    lstatSync(path)
    return true
  } catch (e) {
    if (isNotFound(e)) return false
    throw e
  }
}

export function isNotFound(e: unknown): boolean {
  const code = errnoCode(e)
  return code === 'ENOENT' || code === 'ENOTDIR'
}
