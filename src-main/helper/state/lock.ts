/**
 * One mutating helper at a time per runtime directory (boot-time autostart-all and an admin's
 * net-start must not interleave). The lock file holds the owner's pid; a lock whose owner died
 * (kill -9) is taken over.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

import { HelperError } from '../../contract/helper-protocol'
import { errnoCode, readTextNoFollow, removePathSync } from '../../store/safe-fs'

function ownerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return errnoCode(e) === 'EPERM'
  }
}

function tryTake(file: string): boolean {
  try {
    const fd = openSync(file, 'wx', 0o644)
    writeSync(fd, `${process.pid}\n`)
    closeSync(fd)
    return true
  } catch (e) {
    if (errnoCode(e) !== 'EEXIST') throw e
    const pid = Number((readTextNoFollow(file) ?? '').trim())
    if (!Number.isInteger(pid) || pid <= 0 || !ownerAlive(pid)) {
      removePathSync(file)
      return false
    }
    return false
  }
}

export async function withLock<T>(file: string, fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 })
  const deadline = Date.now() + timeoutMs
  while (!tryTake(file)) {
    if (Date.now() > deadline) {
      throw new HelperError('INTERNAL', `another guestnet helper holds ${file} for more than ${timeoutMs / 1000} s`, {
        fix: 'wait for it to finish; remove the file if no guestnet-helper process is running'
      })
    }
    await new Promise((r) => setTimeout(r, 10))
  }
  try {
    return await fn()
  } finally {
    removePathSync(file)
  }
}

/** `fn` under the lock if it is free now (a dead owner's is taken over); null, without waiting, if not. */
export async function withLockIfFree<T>(file: string, fn: () => Promise<T>): Promise<{ value: T } | null> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 })
  if (!tryTake(file) && !tryTake(file)) return null
  try {
    return { value: await fn() }
  } finally {
    removePathSync(file)
  }
}
