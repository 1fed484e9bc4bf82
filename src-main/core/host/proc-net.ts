/**
 * Listening sockets from /proc/net/{udp,udp6,tcp,tcp6}: the local address and port, and the socket
 * inode (to find the owning process through /proc/PID/fd). Pure.
 */

export interface ProcSocket {
  proto: 'udp' | 'tcp'
  family: 4 | 6
  address: string
  port: number
  inode: number
}

/** TCP_LISTEN; UDP sockets are listed in state 07 (TCP_CLOSE) when unconnected. */
const TCP_LISTEN = '0A'
const UDP_UNCONNECTED = '07'

function hexWordLe(hex: string): number[] {
  // Each 32-bit word is printed in host byte order: little-endian on the machines guestnet supports.
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16))
}

export function decodeProcAddress(hex: string): { family: 4 | 6; address: string } | null {
  if (/^[0-9A-Fa-f]{8}$/.test(hex)) return { family: 4, address: hexWordLe(hex).join('.') }
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) return null
  const bytes: number[] = []
  for (let w = 0; w < 4; w++) bytes.push(...hexWordLe(hex.slice(w * 8, w * 8 + 8)))
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return { family: 6, address: `::ffff:${bytes.slice(12).join('.')}` }
  }
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16))
  return { family: 6, address: compressIpv6(groups) }
}

function compressIpv6(groups: string[]): string {
  let best = -1
  let bestLen = 0
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === '0') j++
    if (j - i > bestLen && j - i > 1) {
      best = i
      bestLen = j - i
    }
    i = j
  }
  if (best < 0) return groups.join(':')
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`
}

export function parseProcNetSockets(text: string, proto: 'udp' | 'tcp'): ProcSocket[] {
  const out: ProcSocket[] = []
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/)
    if (f.length < 10) continue
    const [addrHex, portHex] = f[1].split(':')
    const state = f[3]
    if (proto === 'tcp' ? state !== TCP_LISTEN : state !== UDP_UNCONNECTED) continue
    const decoded = decodeProcAddress(addrHex ?? '')
    const port = parseInt(portHex ?? '', 16)
    const inode = Number(f[9])
    if (!decoded || !Number.isInteger(port) || !Number.isInteger(inode)) continue
    out.push({ proto, family: decoded.family, address: decoded.address, port, inode })
  }
  return out
}

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::'
}
