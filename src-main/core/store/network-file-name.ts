/**
 * Which network names can be stored, and which files in `networks/` are networks. The validator
 * decides what a good network name is; this only guards the file system: a name becomes
 * `KEY.xml` and `autostart/KEY` (network-key.ts), which must be one path component within the
 * usual 255-byte file-name limit, with room for guestnet's temporary names beside it.
 */
import { nameOfKey, networkKey } from './network-key'

/** Leaves room for `.KEY.xml.tmp-…` inside the usual 255-byte file-name limit. */
export const MAX_KEY_BYTES = 200

/** Why `name` cannot be stored as a file, or null when it can. */
export function networkNameProblem(name: string): string | null {
  if (name === '') return 'the name is empty'
  if (name.includes('/')) return "the name contains '/', which cannot be part of a file name"
  if (name === '.' || name === '..') return `the name '${name}' stands for a directory`
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) return 'the name contains a control character'
  const bytes = new TextEncoder().encode(networkKey(name)).length
  if (bytes > MAX_KEY_BYTES) {
    return `the name is too long to be a file name (its file name would be ${bytes} bytes, at most ${MAX_KEY_BYTES}; each character other than a letter, digit or '-' takes 3 when the name has any)`
  }
  return null
}

export type NetworkFileKind =
  { kind: 'network'; name: string } | { kind: 'ignore' } | { kind: 'invalid'; name: string; reason: string }

/**
 * Classifies an entry of `networks/`: `KEY.xml` is a network; hidden files (our temporary files,
 * editor swap files) and files not ending in `.xml` (`NAME.xml~`, `NAME.xml.bak`) are ignored, as
 * libvirt does; a `.xml` file whose name is not a key of a valid network name is reported.
 */
export function classifyNetworkFile(fileName: string): NetworkFileKind {
  if (fileName.startsWith('.') || !fileName.endsWith('.xml')) return { kind: 'ignore' }
  const key = fileName.slice(0, -'.xml'.length)
  const name = nameOfKey(key)
  if (name === null) {
    return {
      kind: 'invalid',
      name: key,
      reason: `'${key}' is not how guestnet names a network's file (a plain name of letters, digits, _ . + -, or % and an encoded name)`
    }
  }
  const problem = networkNameProblem(name)
  return problem ? { kind: 'invalid', name, reason: problem } : { kind: 'network', name }
}

/** The network an `autostart/` entry or a runtime file stem stands for, or null. */
export function nameOfFileKey(key: string): string | null {
  const name = nameOfKey(key)
  return name !== null && networkNameProblem(name) === null ? name : null
}
