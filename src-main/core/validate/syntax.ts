/**
 * Syntax of the strings in a network definition. Each check is strict on purpose: names and DNS
 * data end up in dnsmasq's config and hosts files, in nft rules and in file names, where a comma,
 * quote, `#`, space or newline would change the meaning of the line (dnsmasq reads `"` as a quote,
 * `#` after a blank as a comment, `,` as a field separator, and a newline as a new option).
 */
import { nftTableNameProblem } from '../plan/nft-names'
import { networkNameProblem as storeNameProblem } from '../store/network-file-name'
import { MAX_IFNAME_LENGTH } from '../net/ifname'

/** The first character of `s` outside `allowed` (a single-character regex), shown readably. */
export function firstBadChar(s: string, allowed: RegExp): string | null {
  for (const ch of s) if (!allowed.test(ch)) return showChar(ch)
  return null
}

/** C0, DEL, C1 (a terminal may act on U+009B as on ESC [) and the Unicode line/paragraph separators. */
function isControl(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029
}

/** The first control character not in `allow`, shown readably. */
export function firstControlChar(s: string, allow = ''): string | null {
  for (const ch of s) {
    if (isControl(ch.codePointAt(0) ?? 0) && !allow.includes(ch)) return showChar(ch)
  }
  return null
}

/** One character for a message: named, quoted, or as a code point when printing it could mislead a terminal. */
export function showChar(ch: string): string {
  if (ch === '\n') return 'a newline'
  if (ch === '\t') return 'a tab'
  if (ch === ' ') return 'a space'
  const c = ch.codePointAt(0) ?? 0
  const code = `U+${c.toString(16).padStart(4, '0').toUpperCase()}`
  if (isControl(c)) return `control character ${code}`
  if (c < 0x80 || /^[\p{L}\p{N}]$/u.test(ch)) return `'${ch}'`
  return `character ${code}`
}

/**
 * Why `name` is not a good network name, or null. Like libvirt, any name without `/`: guestnet
 * derives every file name and identifier from it (core/store/network-key.ts, nft-names.ts), so
 * quotes, spaces and `#` are fine; control characters are not (they would reach terminals and logs).
 */
export function networkNameProblem(name: string): string | null {
  if (name.length === 0) return 'the network name is empty'
  const control = firstControlChar(name)
  if (control) return `${control} is not allowed in a network name`
  if (name.includes('/')) return "'/' is not allowed in a network name (libvirt refuses it too)"
  return storeNameProblem(name) ?? nftTableNameProblem(name)
}

/** Interfaces guestnet makes: within the kernel's 15 bytes, and only characters safe in nft and ip. */
const IFNAME_CHAR = /^[A-Za-z0-9_.-]$/

export function ifnameProblem(name: string): string | null {
  if (name.length === 0) return 'the interface name is empty'
  const bad = firstBadChar(name, IFNAME_CHAR)
  if (bad) return `${bad} is not allowed in an interface name`
  if (name.length > MAX_IFNAME_LENGTH)
    return `'${name}' is ${name.length} characters long; Linux interface names have at most ${MAX_IFNAME_LENGTH}`
  if (name === '.' || name === '..') return `'${name}' is not a valid interface name`
  if (name.startsWith('-')) return "an interface name may not start with '-'"
  return null
}

const UUID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32})$/

export function uuidProblem(uuid: string): string | null {
  if (!UUID.test(uuid)) return `'${printable(uuid)}' is not a UUID`
  if (/^[0-]+$/.test(uuid)) return 'the all-zero (nil) UUID cannot identify a network'
  return null
}

/** `52:54:00:12:34:56` → 6 bytes; null if not six colon-separated hex pairs. */
export function parseMac(mac: string): number[] | null {
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(mac)) return null
  return mac.split(':').map((h) => parseInt(h, 16))
}

export function macProblem(mac: string): string | null {
  const bytes = parseMac(mac)
  if (!bytes) return `'${printable(mac)}' is not a MAC address`
  if (bytes.every((b) => b === 0)) return 'the all-zero MAC address is not usable'
  if (bytes[0] & 1) return `'${mac}' is a multicast MAC address (lowest bit of the first byte set)`
  return null
}

/** The canonical key of a MAC for duplicate checks. */
export function macKey(mac: string): string {
  return mac.toLowerCase()
}

/** DHCPv6 client DUID as libvirt writes it: hex bytes separated by colons (`0:3:0:1:0:16:3e:11:22:33`). */
export function duidProblem(id: string): string | null {
  if (!/^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2})+$/.test(id))
    return `'${printable(id)}' is not a DUID (hex bytes separated by ':')`
  if (id.split(':').length > 130) return 'the DUID is longer than 130 bytes'
  return null
}

export function duidKey(id: string): string {
  return id
    .split(':')
    .map((b) => parseInt(b, 16).toString(16))
    .join(':')
}

const MAX_DOMAIN_LENGTH = 253
const LDH_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/
/** dnsmasq's hostname rule: letters, digits, '-' and '_', not starting with '-' or '_'. */
const HOST_LABEL = /^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/

function labelsProblem(name: string, label: RegExp, what: string, allowed: string): string | null {
  if (name.length === 0) return `the ${what} is empty`
  const bad = firstBadChar(name, /^[A-Za-z0-9._-]$/)
  if (bad) return `${bad} is not allowed in a ${what}`
  if (name.length > MAX_DOMAIN_LENGTH) return `the ${what} is longer than ${MAX_DOMAIN_LENGTH} characters`
  for (const part of name.split('.')) {
    if (part.length === 0) return `'${name}' has an empty label (two dots, or a dot at the start or end)`
    if (part.length > 63) return `the label '${part}' is longer than 63 characters`
    if (!label.test(part)) return `the label '${part}' is not valid: ${allowed}`
  }
  return null
}

/** A DNS domain name (`example.com`, `lan`): letters, digits and inner hyphens in each label. */
export function domainProblem(name: string): string | null {
  return labelsProblem(
    name,
    LDH_LABEL,
    'domain name',
    'use letters, digits and hyphens, not at the start or end of a label'
  )
}

/** A host name (`vm1`, `a.example.com`), as dnsmasq accepts them for DHCP and hosts entries. */
export function hostnameProblem(name: string): string | null {
  return labelsProblem(
    name,
    HOST_LABEL,
    'host name',
    "use letters, digits, '-' and '_', starting with a letter or digit"
  )
}

const RECORD_LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/

/** The owner name of a record (`info`, `_acme-challenge.example.lan`): like a host name, '_' may lead. */
export function recordNameProblem(name: string): string | null {
  return labelsProblem(
    name,
    RECORD_LABEL,
    'record name',
    "use letters, digits, '-' and '_', not starting or ending with '-'"
  )
}

/**
 * TXT record text: printable ASCII, at most 255 characters (one DNS character-string), no `"`,
 * `\`, `#` or `,` (dnsmasq's `txt-record=name,text` would read them as quote, escape, comment or
 * a split into several strings), no leading or trailing blanks (dnsmasq strips them).
 */
export function txtValueProblem(value: string): string | null {
  if (value.length === 0) return 'the TXT value is empty'
  const bad = firstBadChar(value, /^[\x20-\x7e]$/) ?? firstBadChar(value, /^[^"\\#,]$/)
  if (bad) return `${bad} is not allowed in a TXT value`
  if (value.length > 255) return `the TXT value is ${value.length} characters long; at most 255 are allowed`
  if (value.trim() !== value) return 'the TXT value starts or ends with a blank, which dnsmasq would drop'
  return null
}

/** RFC 6335 service names, without the leading `_` libvirt adds: letters, digits, inner hyphens, ≤ 15. */
export function srvLabelProblem(value: string, what: 'service' | 'protocol'): string | null {
  if (!/^[A-Za-z0-9]([A-Za-z0-9-]{0,13}[A-Za-z0-9])?$/.test(value)) {
    return `'${printable(value)}' is not a valid SRV ${what}: use 1–15 letters, digits and inner hyphens, without the leading '_'`
  }
  return null
}

/** `s` for quoting input in messages: JSON escapes, everything outside printable ASCII as \uXXXX, cut to `max`. */
export function printable(s: string, max = 60): string {
  const escaped = JSON.stringify(s)
    .slice(1, -1)
    .replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped
}
