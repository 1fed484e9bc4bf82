/**
 * Listening sockets from `/proc/net/{tcp,tcp6,udp,udp6}` (what `ss -ltnu` reads): local address,
 * port and socket inode. TCP counts in LISTEN (state 0A); UDP sockets bound to a port and not
 * connected (state 07). Addresses are in the kernel's byte order: each 32-bit word little-endian
 * on the machines guestnet runs on. Pure.
 */
import type { Family, Ip } from '../net/ip'

export interface ListeningSocket {
  proto: 'tcp' | 'udp'
  address: Ip
  port: number
  inode: number
}

function wordsToBigint(hex: string): bigint {
  let value = 0n
  for (let i = 0; i < hex.length; i += 8) {
    const word = hex.slice(i, i + 8)
    const bytes = word.match(/../g) ?? []
    value = (value << 32n) | BigInt(`0x${bytes.reverse().join('')}`)
  }
  return value
}

export function parseProcNetSockets(text: string, proto: 'tcp' | 'udp', family: Family): ListeningSocket[] {
  const hexLen = family === 4 ? 8 : 32
  const wanted = proto === 'tcp' ? '0A' : '07'
  const out: ListeningSocket[] = []
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/)
    if (f.length < 10) continue
    const m = /^([0-9A-Fa-f]+):([0-9A-Fa-f]{4})$/.exec(f[1])
    if (!m || m[1].length !== hexLen || f[3].toUpperCase() !== wanted || !/^[0-9]{1,20}$/.test(f[9])) continue
    out.push({ proto, address: { family, value: wordsToBigint(m[1]) }, port: parseInt(m[2], 16), inode: Number(f[9]) })
  }
  return out
}
