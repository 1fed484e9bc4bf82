/**
 * Durable file operations for the store. A write goes to a hidden temporary file in the same
 * directory, is fsync'ed, renamed over the target and the directory fsync'ed: after a crash the
 * file holds either the old or the new content, never a mix, and the rename itself survives.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export const FILE_MODE = 0o644
export const DIR_MODE = 0o755

export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE })
}

export async function writeFileAtomic(path: string, data: string, mode = FILE_MODE): Promise<void> {
  const dir = dirname(path)
  await ensureDir(dir)
  // Hidden, so `list()` never mistakes a leftover for a network.
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`)
  try {
    const fh = await open(tmp, 'wx', mode)
    try {
      await fh.writeFile(data, 'utf8')
      await fh.chmod(mode) // the umask may have narrowed the mode given to open()
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, path)
  } catch (e) {
    await unlink(tmp).catch(() => undefined)
    throw e
  }
  await syncDir(dir)
}

/** Removes `path` durably; false when it did not exist. */
export async function removeFileDurable(path: string): Promise<boolean> {
  try {
    await unlink(path)
  } catch (e) {
    if (isNotFound(e)) return false
    throw e
  }
  await syncDir(dirname(path))
  return true
}

export async function readTextIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch (e) {
    if (isNotFound(e)) return null
    throw e
  }
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (e) {
    if (isNotFound(e)) return false
    throw e
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}

export function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === 'ENOENT'
}
