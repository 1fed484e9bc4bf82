/**
 * Sockets on the DHCP and DNS ports in the doctor's network namespace (/proc/self/net/*), and the
 * processes holding them: /proc/PID/fd links name `socket:[INODE]` (readable by root only). Our own
 * dnsmasq is recognised by its command line naming guestnet's runtime directory.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

import type { ObservedSocket } from '../model'
import type { ProcSocket } from '../../core/host/proc-net'
import { parseProcNetSockets } from '../../core/host/proc-net'

export const WATCHED_PORTS: ReadonlySet<number> = new Set([53, 67, 547])

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

export function listedSockets(): ProcSocket[] {
  const files = [
    ['udp', '/proc/self/net/udp'],
    ['udp', '/proc/self/net/udp6'],
    ['tcp', '/proc/self/net/tcp'],
    ['tcp', '/proc/self/net/tcp6']
  ] as const
  return files
    .flatMap(([proto, file]) => parseProcNetSockets(read(file), proto))
    .filter((s) => WATCHED_PORTS.has(s.port))
}

/** inode → pid for the given inodes, scanning every process's file descriptors. */
export function ownersOf(inodes: Set<number>): Map<number, number> {
  const out = new Map<number, number>()
  let pids: string[] = []
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
  } catch {
    return out
  }
  for (const pid of pids) {
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      let target: string
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`)
      } catch {
        continue
      }
      const m = /^socket:\[(\d+)\]$/.exec(target)
      if (m && inodes.has(Number(m[1])) && !out.has(Number(m[1]))) out.set(Number(m[1]), Number(pid))
    }
    if (out.size === inodes.size) break
  }
  return out
}

export function observeSockets(runtimeDir: string): ObservedSocket[] {
  const listed = listedSockets()
  if (listed.length === 0) return []
  const owners = ownersOf(new Set(listed.map((s) => s.inode)))
  return listed.map((s) => {
    const pid = owners.get(s.inode) ?? null
    const program = pid === null ? null : read(`/proc/${pid}/comm`).trim() || null
    const cmdline =
      pid === null ? null : read(`/proc/${pid}/cmdline`).split('\0').filter(Boolean).join(' ').slice(0, 300) || null
    const ours = program === 'dnsmasq' && cmdline !== null && cmdline.includes(`${runtimeDir}/`)
    return { ...s, pid, program, cmdline, ours }
  })
}
