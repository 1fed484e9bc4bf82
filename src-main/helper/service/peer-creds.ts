/**
 * Who is on the other end of a connection to the service, checked by the kernel's view rather than
 * by the socket file's mode alone (which an admin may widen). Node cannot read SO_PEERCRED, so:
 * the kernel's socket table (`ss`, sock_diag) names the peer socket of our accepted one; the client
 * says which process it is; that process must hold exactly that peer socket, and its credentials
 * (/proc/PID/status: real, effective, saved and filesystem uid) say who it is. A process that lies
 * about its pid fails the first check; a setuid program that inherited the socket has a real uid of
 * its caller. Pure parsing here, the reads in `peerOf`.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import type { Socket } from 'node:net'

import { execProgram } from '../run/exec-program'

export interface Peer {
  pid: number
  /** The real uid (the user who ran it, also for a setuid program). */
  uid: number
  /** Every uid (real, effective, saved, filesystem) is 0. */
  root: boolean
}

/** Pure: the peer inode of the socket with local inode `ino` in `ss -xnH` output. */
export function peerInode(ssOutput: string, ino: number): number | null {
  for (const line of ssOutput.split('\n')) {
    const m = /\s(\d+)\s+\S+\s+(\d+)\s*(?:<->)?\s*$/.exec(line)
    if (m && Number(m[1]) === ino) return Number(m[2])
  }
  return null
}

/** Pure: the four uids of a /proc/PID/status text, or null. */
export function uidsOf(status: string): number[] | null {
  const m = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/m.exec(status)
  return m ? m.slice(1, 5).map(Number) : null
}

/** Does process `pid` hold socket inode `ino` (one of its fds links to `socket:[ino]`)? */
function holds(pid: number, ino: number): boolean {
  const dir = `/proc/${pid}/fd`
  let fds: string[]
  try {
    fds = readdirSync(dir)
  } catch {
    return false
  }
  const want = `socket:[${ino}]`
  return fds.some((fd) => {
    try {
      return readlinkSync(`${dir}/${fd}`) === want
    } catch {
      return false
    }
  })
}

/** The fd behind a net.Socket (libuv's handle); null when it has none. */
function fdOf(sock: Socket): number | null {
  const fd = (sock as unknown as { _handle?: { fd?: unknown } })._handle?.fd
  return typeof fd === 'number' && fd >= 0 ? fd : null
}

/** Our accepted socket's inode, and its peer's (from the kernel's socket table); null when unknown. */
export async function peerSocket(sock: Socket): Promise<{ ino: number; peer: number } | null> {
  const fd = fdOf(sock)
  if (fd === null) return null
  let ino: number
  try {
    const link = readlinkSync(`/proc/self/fd/${fd}`)
    const m = /^socket:\[(\d+)\]$/.exec(link)
    if (!m) return null
    ino = Number(m[1])
  } catch {
    return null
  }
  // Every unix socket of this namespace (a socket-activated listener may have any path). A client
  // in another network namespace has its end there, and is not found: it is not served.
  const { stdout } = await execProgram(['ss', '-xnH'], { timeoutMs: 5000 })
  const peer = peerInode(stdout, ino)
  return peer === null ? null : { ino, peer }
}

/** The checked peer, given the socket pair and the pid the client named; null when it does not hold up. */
export function verifyPeer(peer: number, claimedPid: number): Peer | null {
  if (!Number.isInteger(claimedPid) || claimedPid <= 0 || !holds(claimedPid, peer)) return null
  let status: string
  try {
    status = readFileSync(`/proc/${claimedPid}/status`, 'utf8')
  } catch {
    return null
  }
  const uids = uidsOf(status)
  if (!uids) return null
  // Checked again after reading the credentials: the pid may have been reused in between.
  if (!holds(claimedPid, peer)) return null
  return { pid: claimedPid, uid: uids[0], root: uids.every((u) => u === 0) }
}
