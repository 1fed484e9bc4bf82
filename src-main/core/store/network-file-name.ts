/**
 * Which network names can be file names, and which files in `networks/` are networks.
 * The validator decides what a good network name is; this only guards the file system:
 * a name becomes `NAME.xml` and `autostart/NAME`, so it must be one safe path component.
 */

/** Leaves room for `.NAME.xml.tmp-…` inside the usual 255-byte file-name limit. */
export const MAX_NAME_BYTES = 200

/** Why `name` cannot be stored as a file, or null when it can. */
export function networkNameProblem(name: string): string | null {
  if (name === '') return 'the name is empty'
  if (name.includes('/')) return "the name contains '/', which cannot be part of a file name"
  if (name.startsWith('.'))
    return "the name starts with '.', which would be a hidden file (guestnet's temporary files look like that)"
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'the name contains a control character'
  if (new TextEncoder().encode(name).length > MAX_NAME_BYTES) return `the name is longer than ${MAX_NAME_BYTES} bytes`
  return null
}

export type NetworkFileKind =
  { kind: 'network'; name: string } | { kind: 'ignore' } | { kind: 'invalid'; name: string; reason: string }

/**
 * Classifies an entry of `networks/`: `NAME.xml` is a network; hidden files (our temporary files,
 * editor swap files) and files not ending in `.xml` (`NAME.xml~`, `NAME.xml.bak`) are ignored, as
 * libvirt does; a `.xml` file whose name is not a valid network name is reported.
 */
export function classifyNetworkFile(fileName: string): NetworkFileKind {
  if (fileName.startsWith('.') || !fileName.endsWith('.xml')) return { kind: 'ignore' }
  const name = fileName.slice(0, -'.xml'.length)
  const problem = networkNameProblem(name)
  return problem ? { kind: 'invalid', name, reason: problem } : { kind: 'network', name }
}
