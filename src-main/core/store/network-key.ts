/**
 * The one file-system and config-file spelling of a network name: its key. Network names may hold
 * anything libvirt accepts but `/` (libvirt's own tests use `default"with"quotes"`), while the
 * network's files (`networks/KEY.xml`, `autostart/KEY`, the journal, the runtime directory dnsmasq's
 * config names, the lease file) must be one safe path component that reads the same in dnsmasq's
 * config. A name of the characters guestnet always allowed (letters, digits, `_ . + -`, not starting
 * with `.` or `-`) is its own key, so existing stores keep their files; any other name is `%` and the
 * name in nft's table-name encoding (nft-names.ts: letters, digits and `-` kept, every other byte
 * `_XX`), which no plain name can start with, so two names never share a key. Pure.
 */
import { decodeNftName, encodeNftName } from '../plan/nft-names'

const PLAIN = /^[A-Za-z0-9_+][A-Za-z0-9_.+-]*$/
const ENCODED = /^%(?:[A-Za-z0-9-]|_[0-9a-f]{2})+$/

export function networkKey(name: string): string {
  return PLAIN.test(name) ? name : `%${encodeNftName(name)}`
}

/** The name a key stands for, or null when the text is no key guestnet makes. */
export function nameOfKey(key: string): string | null {
  if (PLAIN.test(key)) return key
  if (!ENCODED.test(key)) return null
  const name = decodeNftName(key.slice(1))
  // A key decodes to one name, which must encode back to it (no overlong or plain-able spellings).
  return networkKey(name) === key ? name : null
}
