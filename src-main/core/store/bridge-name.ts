/** Picking a bridge name for a network that did not give one (libvirt's `virbr%d` scheme). */

import { MAX_IFNAME_LENGTH } from '../net/ifname'

export interface BridgeNameOptions {
  /** Name pattern with one `%d`; default `virbr%d`. */
  template?: string
  /** First number to try; default 0. guestnet starts other networks at 1 so `virbr0` stays the default's. */
  start?: number
}

/**
 * The first `virbrN` (N ≥ start) not in `taken` (bridges of other networks and interfaces on the host).
 * Throws when the template is malformed or the names it makes grow past 15 bytes.
 */
export function nextFreeBridgeName(taken: Iterable<string>, opts: BridgeNameOptions = {}): string {
  const template = opts.template ?? 'virbr%d'
  const parts = template.split('%d')
  if (parts.length !== 2) throw new Error(`bridge name template '${template}' must contain '%d' exactly once`)
  const used = new Set(taken)
  for (let n = opts.start ?? 0; ; n++) {
    const name = `${parts[0]}${n}${parts[1]}`
    if (name.length > MAX_IFNAME_LENGTH) {
      throw new Error(
        `no free bridge name from '${template}' within ${MAX_IFNAME_LENGTH} characters: give <bridge name='…'/> explicitly`
      )
    }
    if (!used.has(name)) return name
  }
}

/** True when a bridge name is a `%d` template to fill rather than a literal name. */
export function isBridgeTemplate(name: string): boolean {
  return name.includes('%d')
}
