/**
 * Which guestnet store made a kernel object. Every bridge guestnet creates carries an owner mark as
 * its interface alias, and every nft table as its comment: `guestnet:STORE:NETWORK`. STORE is
 * `system` for the system's own directories and `root-` plus 12 hex digits of the SHA-256 of a
 * `--root` directory (resolved); NETWORK is the network name in nft's table-name encoding, or `h-`
 * and a hash when that would be too long. Two stores in one network namespace (tests, image builders)
 * can so never take each other's objects for their own, even with networks of the same name.
 * Pure (hashing is pure).
 */
import { createHash } from 'node:crypto'

import { decodeNftName, encodeNftName } from '../plan/nft-names'

export const SYSTEM_STORE = 'system'
const MARK_PREFIX = 'guestnet:'
/** ifalias holds at most 255 bytes (IFALIASZ); nft comments 128 (NFT_USERDATA_MAXLEN is 256, nft limits comments to 128). */
const MAX_MARK = 128

const hex = (text: string, n: number): string => createHash('sha256').update(text).digest('hex').slice(0, n)

/** `system`, or `root-<12 hex>` for a resolved `--root` directory. */
export function storeIdOf(root: string | null | undefined): string {
  return root === undefined || root === null ? SYSTEM_STORE : `root-${hex(root, 12)}`
}

/** The mark on a network's bridge and tables: `guestnet:system:default`. Only [A-Za-z0-9_:-]. */
export function ownerMark(storeId: string, network: string): string {
  const plain = `${MARK_PREFIX}${storeId}:${encodeNftName(network)}`
  return plain.length <= MAX_MARK ? plain : `${MARK_PREFIX}${storeId}:h-${hex(network, 32)}`
}

/** The store id a mark names, or null when it is not a guestnet mark. */
export function storeOfMark(mark: string | null): string | null {
  const m = /^guestnet:([a-z0-9-]{1,40}):[A-Za-z0-9_-]+$/.exec(mark ?? '')
  return m ? m[1] : null
}

/** The network a mark names, when it is not a hashed one; null otherwise. */
export function networkOfMark(mark: string | null): string | null {
  const m = /^guestnet:[a-z0-9-]{1,40}:([A-Za-z0-9_-]+)$/.exec(mark ?? '')
  if (!m || m[1].startsWith('h-')) return null
  try {
    return decodeNftName(m[1])
  } catch {
    return null
  }
}

/** How an object's owner reads in a message: 'network default of this store', 'another guestnet store (root-…)'. */
export function describeOwner(mark: string | null, ours: string): string {
  if (mark === null || mark === '') return 'no guestnet owner mark'
  const store = storeOfMark(mark)
  if (store === null) return `a mark that is not guestnet's ('${mark.slice(0, 60)}')`
  if (store === ours) return `this store (${mark})`
  return `another guestnet store: ${store === SYSTEM_STORE ? 'the system store' : `the --root store ${store}`} (${mark})`
}
