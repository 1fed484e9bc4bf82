/**
 * Which program on the host already listens on a forward's port (`ss -ltnup`'s answer, read from
 * /proc in the helper's own network namespace): a forward would take that port's traffic from it.
 * Only read here; the program is named from /proc/PID/comm, shown terminal-safe by the caller.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

import type { ListeningSocket } from '../../core/host/proc-net-sockets'
import { parseProcNetSockets } from '../../core/host/proc-net-sockets'
import type { PortForward } from '../../core/model/port-forward'
import { forwardFamilies } from '../../core/model/port-forward'
import { formatIp, parseIp, sameIp } from '../../core/net/ip'

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

function sockets(proto: 'tcp' | 'udp'): ListeningSocket[] {
  return [
    ...parseProcNetSockets(readOrEmpty(`/proc/net/${proto}`), proto, 4),
    ...parseProcNetSockets(readOrEmpty(`/proc/net/${proto}6`), proto, 6)
  ]
}

/** A listener takes the forward's traffic when it is bound to every address, or to the forward's address. */
function shadows(s: ListeningSocket, f: PortForward): boolean {
  if (s.proto !== f.proto || s.port !== f.port) return false
  const loopback = s.address.family === 4 ? s.address.value >> 24n === 127n : s.address.value === 1n
  if (loopback) return false
  const address = f.address === undefined ? null : parseIp(f.address)
  if (address) return s.address.value === 0n || sameIp(s.address, address)
  // A v6 wildcard socket usually takes IPv4 too (dual-stack), so it counts for every family.
  return s.address.value === 0n || forwardFamilies(f).includes(s.address.family)
}

/** `sshd (pid 812)`, or null when no process shows the socket (another namespace's, or gone). */
function programOf(inode: number): string | null {
  const link = `socket:[${inode}]`
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((d) => /^[0-9]+$/.test(d))
  } catch {
    return null
  }
  for (const pid of pids) {
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === link)
          return `${readOrEmpty(`/proc/${pid}/comm`).trim()} (pid ${pid})`
      } catch {
        // closed meanwhile
      }
    }
  }
  return null
}

/** `tcp 0.0.0.0:2222, sshd (pid 812)` for the first listener the forward would shadow, or null. */
export function listenerOn(f: PortForward): string | null {
  const s = sockets(f.proto).find((x) => shadows(x, f))
  if (!s) return null
  const where = s.address.family === 4 ? formatIp(s.address) : `[${formatIp(s.address)}]`
  const who = programOf(s.inode)
  return `${s.proto} ${where}:${s.port}${who ? `, ${who}` : ''}`
}
