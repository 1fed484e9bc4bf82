/**
 * What a spanning network's VXLAN port has learned, from `bridge -j fdb show dev gnvxN`: per peer, how
 * many guest MACs the kernel saw arrive from it (learned entries age out after 300 s, so a peer
 * with guests behind it has sent VXLAN recently). The all-zero flood entries are the peer list
 * itself, not learning. Pure.
 */
import { canonicalIp } from '../net/ip'

const FLOOD = '00:00:00:00:00:00'

interface FdbEntry {
  mac?: unknown
  dst?: unknown
  state?: unknown
}

export interface PeerSeen {
  address: string
  /** The peer's VXLAN has arrived here lately: guests were learned behind it. */
  seen: boolean
  /** Guest MACs learned behind it. */
  guests: number
}

export function peersSeen(fdbJson: string, peers: readonly string[]): PeerSeen[] {
  let entries: unknown
  try {
    entries = JSON.parse(fdbJson)
  } catch {
    entries = []
  }
  const count = new Map<string, number>()
  for (const e of Array.isArray(entries) ? (entries as FdbEntry[]) : []) {
    if (typeof e?.mac !== 'string' || typeof e.dst !== 'string' || e.mac === FLOOD || e.state === 'permanent') continue
    const dst = canonicalIp(e.dst) ?? e.dst
    count.set(dst, (count.get(dst) ?? 0) + 1)
  }
  return peers.map((p) => {
    const guests = count.get(canonicalIp(p) ?? p) ?? 0
    return { address: p, seen: guests > 0, guests }
  })
}
