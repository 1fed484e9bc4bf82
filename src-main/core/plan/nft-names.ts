/**
 * The nftables table guestnet owns for a network: `table inet guestnet_<encoded name>`.
 *
 * Network names may hold almost anything (libvirt's own corpus has `default"with"quotes"`), but an
 * nft table name is an unquoted identifier. The encoding keeps ASCII letters, digits and `-` and
 * writes every other byte of the UTF-8 name as `_` + two lower-case hex digits (so `_` itself
 * becomes `_5f`). Every `_` in the output starts an escape, so the encoding can be decoded back and
 * two different names never share a table: `my net` → `guestnet_my_20net`, `my_20net` →
 * `guestnet_my_5f20net`.
 */

export const NFT_TABLE_PREFIX = 'guestnet_'

/** nft's NFT_NAME_MAXLEN is 256 bytes including the terminating NUL. */
export const NFT_NAME_MAX = 255

export function encodeNftName(name: string): string {
  let out = ''
  for (const byte of new TextEncoder().encode(name)) {
    const c = String.fromCharCode(byte)
    out += /[A-Za-z0-9-]/.test(c) ? c : `_${byte.toString(16).padStart(2, '0')}`
  }
  return out
}

export function decodeNftName(encoded: string): string {
  const bytes: number[] = []
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === '_') {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16))
      i += 2
    } else {
      bytes.push(encoded.charCodeAt(i))
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes))
}

export function nftTableName(networkName: string): string {
  return `${NFT_TABLE_PREFIX}${encodeNftName(networkName)}`
}

/** Why the network's table name would be refused by nft (too long), or null. For the validator. */
export function nftTableNameProblem(networkName: string): string | null {
  const length = nftTableName(networkName).length
  if (length <= NFT_NAME_MAX) return null
  return `its firewall table name would be ${length} characters, over nft's limit of ${NFT_NAME_MAX} (each character other than a letter, digit or '-' takes 3)`
}
