/**
 * Where guestnet keeps its files. `--root DIR` moves all three trees under DIR, so tests and
 * image builders can work on a copy of the system without touching the real /etc.
 * Pure path arithmetic (POSIX paths only): no fs here.
 */

import { networkKey } from './network-key'

export interface StoreLayout {
  /** `/etc/guestnet`: what the admin defines. */
  configDir: string
  /** `/etc/guestnet/networks`: one `NAME.xml` per network. */
  networksDir: string
  /** `/etc/guestnet/autostart`: one empty `NAME` file per autostart network. */
  autostartDir: string
  /** `/etc/guestnet/host.json`: host-wide settings (ULA /48, range pool). */
  hostConfigFile: string
  /** `/var/lib/guestnet`: state guestnet keeps for itself. */
  stateDir: string
  /** `/run/guestnet`: journals and generated files of running networks (gone at reboot). */
  runtimeDir: string
  /** `/var/lib/guestnet/dnsmasq`: dnsmasq lease files. */
  leasesDir: string
  /** `/var/lib/guestnet/default-created`: the default network was created once. */
  defaultCreatedFile: string
  /** `/var/lib/guestnet/default-deleted.json`: the deleted default's UUID. */
  defaultDeletedFile: string
}

export class StoreRootError extends Error {
  constructor(
    message: string,
    /** What to do instead, when there is more to say than the message. */
    readonly fix?: string
  ) {
    super(message)
  }
}

/**
 * The store's paths, under `root` when given. A root must be absolute: a relative one would
 * depend on the directory the command happens to run in, which for a root-owned store is a trap.
 */
export function storeLayout(root?: string): StoreLayout {
  const base = root === undefined ? '' : normalizeRoot(root)
  const configDir = `${base}/etc/guestnet`
  const stateDir = `${base}/var/lib/guestnet`
  return {
    configDir,
    networksDir: `${configDir}/networks`,
    autostartDir: `${configDir}/autostart`,
    hostConfigFile: `${configDir}/host.json`,
    stateDir,
    runtimeDir: `${base}/run/guestnet`,
    leasesDir: `${stateDir}/dnsmasq`,
    defaultCreatedFile: `${stateDir}/default-created`,
    defaultDeletedFile: `${stateDir}/default-deleted.json`
  }
}

/** `/tmp/x/../y//` → `/tmp/y`; `/` → `` (so paths join without a double slash). */
function normalizeRoot(root: string): string {
  if (root === '') throw new StoreRootError('--root is empty: give an absolute directory such as /tmp/guestnet-root')
  if (root.includes('\0')) throw new StoreRootError('--root contains a NUL byte: give an absolute directory')
  if (!root.startsWith('/')) {
    throw new StoreRootError(
      `--root '${root}' is a relative path: give an absolute directory (for example $PWD/${root})`
    )
  }
  const parts: string[] = []
  for (const part of root.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') parts.pop()
    else parts.push(part)
  }
  return parts.length === 0 ? '' : `/${parts.join('/')}`
}

/** `networks/KEY.xml` under a layout (network-key.ts). The name must have passed `networkNameProblem`. */
export function networkFile(layout: StoreLayout, name: string): string {
  return `${layout.networksDir}/${networkKey(name)}.xml`
}

export function autostartFile(layout: StoreLayout, name: string): string {
  return `${layout.autostartDir}/${networkKey(name)}`
}

export function leasesFile(layout: StoreLayout, name: string): string {
  return `${layout.leasesDir}/${networkKey(name)}.leases`
}
