/**
 * A process we started, remembered by PID and start time, so a later command ends that process and
 * not an unrelated one that reused its PID; and the network namespace a process lives in.
 */
import { readFileSync, readlinkSync, statSync } from 'node:fs'

export interface ProcessIdentity {
  pid: number
  /** Field 22 of /proc/PID/stat (clock ticks since boot). */
  startTime: string
}

export function processIdentity(pid: number): ProcessIdentity | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // `pid (comm) state …`: comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const startTime = fields[19]
    return startTime ? { pid, startTime } : null
  } catch {
    return null
  }
}

/** True when the process is still the one recorded (same PID and start time). */
export function isSameProcess(id: ProcessIdentity): boolean {
  return processIdentity(id.pid)?.startTime === id.startTime
}

/** `net:[4026532281]` for the process's network namespace, null when unreadable. */
export function processNetns(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`)
  } catch {
    return null
  }
}

/** `net:[INODE]` of a named namespace (`/run/netns/NAME`), null when there is none. */
export function namedNetnsId(name: string): string | null {
  try {
    return `net:[${statSync(`/run/netns/${name}`).ino}]`
  } catch {
    return null
  }
}

/** SIGTERM, then SIGKILL after `graceMs` if it is still the same process. */
export async function endProcess(id: ProcessIdentity, graceMs = 1000): Promise<boolean> {
  if (!isSameProcess(id)) return false
  try {
    process.kill(id.pid, 'SIGTERM')
  } catch {
    return false
  }
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline) {
    if (!isSameProcess(id)) return true
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  if (isSameProcess(id)) {
    try {
      process.kill(id.pid, 'SIGKILL')
    } catch {
      // gone meanwhile
    }
  }
  return true
}
