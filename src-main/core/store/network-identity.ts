/** The identity a network keeps for life: its UUID and its bridge's MAC address. */

/**
 * UUIDs compare equal ignoring case and dashes, as libvirt's parser accepts both
 * `3e3fce45-4f53-…` and `3E3FCE454F53…`.
 */
export function sameUuid(a: string, b: string): boolean {
  return normalizeUuid(a) === normalizeUuid(b)
}

export function normalizeUuid(uuid: string): string {
  return uuid.replace(/-/g, '').toLowerCase()
}

/**
 * A bridge MAC in QEMU/libvirt's locally administered range `52:54:00:xx:xx:xx`, from 3 random bytes.
 * A fixed MAC keeps the bridge's IPv6 link-local address (and so the guests' router) stable.
 */
export function bridgeMacFromRandom(bytes: Uint8Array): string {
  if (bytes.length < 3) throw new Error('bridgeMacFromRandom needs 3 random bytes')
  const tail = [...bytes.slice(0, 3)].map((b) => b.toString(16).padStart(2, '0'))
  return ['52', '54', '00', ...tail].join(':')
}

export function sameMac(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}
