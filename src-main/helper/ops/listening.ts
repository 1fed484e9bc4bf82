/**
 * Which program on the host already listens on a forward's port (`ss -ltnup`'s answer, read from
 * /proc in the helper's own network namespace): a forward would take that port's traffic from it.
 * Only read here; the program is named from /proc/PID/comm, shown terminal-safe by the caller.
 */
import { readFileSync } from 'node:fs'

import type { ProcSocket } from '../../core/host/proc-net'
import { parseProcNetSockets } from '../../core/host/proc-net'
import { ownersOf } from '../../doctor/observe/sockets'
import type { PortForward } from '../../core/model/port-forward'
import { forwardFamilies } from '../../core/model/port-forward'
import type { Ip } from '../../core/net/ip'
import { formatIp, parseIp, sameIp } from '../../core/net/ip'

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

interface ListeningSocket extends Omit<ProcSocket, 'address'> {
  address: Ip
}

function sockets(proto: 'tcp' | 'udp'): ListeningSocket[] {
  return [`/proc/net/${proto}`, `/proc/net/${proto}6`]
    .flatMap((file) => parseProcNetSockets(readOrEmpty(file), proto))
    .flatMap((s) => {
      const address = parseIp(s.address)
      return address ? [{ ...s, address }] : []
    })
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
  const pid = ownersOf(new Set([inode])).get(inode)
  return pid === undefined ? null : `${readOrEmpty(`/proc/${pid}/comm`).trim()} (pid ${pid})`
}

/** `tcp 0.0.0.0:2222, sshd (pid 812)` for the first listener the forward would shadow, or null. */
export function listenerOn(f: PortForward): string | null {
  const s = sockets(f.proto).find((x) => shadows(x, f))
  if (!s) return null
  const where = s.address.family === 4 ? formatIp(s.address) : `[${formatIp(s.address)}]`
  const who = programOf(s.inode)
  return `${s.proto} ${where}:${s.port}${who ? `, ${who}` : ''}`
}
