/**
 * The sandbox's fixed names, addresses and file locations. One sandbox per machine (its namespace
 * names are fixed); its files live under its own guestnet root, never the machine's real store.
 */
import { join } from 'node:path'

import { storeLayout } from '../core/store/store-layout'
import type { NamespaceOwner } from './ns-guard'
import { ownerByPrefix } from './ns-guard'

export const SBX_PREFIX = 'gn-sbx-'
export const SBX_HOST = 'gn-sbx-host'
export const SBX_INET = 'gn-sbx-inet'
export const SBX_GUEST_PREFIX = 'gn-sbx-g-'
export const SBX_UPLINK = 'uplink0'
export const SBX_INET_IF = 'wan0'
export const SBX_ADDR = {
  inet4: '203.0.113.1/24',
  host4: '203.0.113.2/24',
  inet6: '2001:db8:1::1/64',
  host6: '2001:db8:1::2/64'
} as const

/** Used when `sandbox` gets no `--root`: the sandbox never uses the machine's own /etc/guestnet. */
export const DEFAULT_SANDBOX_ROOT = '/run/guestnet-sandbox'

export const isSandboxNamespace: NamespaceOwner = ownerByPrefix(SBX_PREFIX)

export interface SandboxPaths {
  /** The guestnet root (`--root`) the sandbox's networks use. */
  root: string
  /** `ROOT/sandbox`: the sandbox's own files. */
  dir: string
  stateFile: string
  docroot: string
  udhcpcScript: string
  /** `ROOT/run/guestnet`: journals of running networks. */
  runtimeDir: string
  configDir: string
  leaseFile(guest: string): string
}

export class SandboxError extends Error {
  constructor(
    message: string,
    readonly fix?: string
  ) {
    super(message)
  }
}

export function sandboxPaths(root: string | undefined): SandboxPaths {
  const layout = storeLayout(root ?? DEFAULT_SANDBOX_ROOT)
  const base = layout.configDir.slice(0, -'/etc/guestnet'.length)
  if (base === '') {
    throw new SandboxError(
      "the sandbox needs a root of its own, not '/': its networks must stay out of the machine's /etc/guestnet",
      `leave out --root (the sandbox then uses ${DEFAULT_SANDBOX_ROOT}) or give a directory such as /tmp/guestnet-sandbox`
    )
  }
  const dir = join(base, 'sandbox')
  return {
    root: base,
    dir,
    stateFile: join(dir, 'state.json'),
    docroot: join(dir, 'www'),
    udhcpcScript: join(dir, 'udhcpc.sh'),
    runtimeDir: layout.runtimeDir,
    configDir: layout.configDir,
    leaseFile: (guest) => join(dir, `lease-${guest}.env`)
  }
}

const GUEST_NAME = /^[a-z0-9][a-z0-9-]{0,10}$/

/** Guest names become namespace and interface names (`sbx-NAME` must fit 15 bytes). */
export function guestNameProblem(name: string): string | null {
  return GUEST_NAME.test(name)
    ? null
    : `guest name '${name}' is not allowed: use 1 to 11 lower-case letters, digits or '-', starting with a letter or digit`
}

export function guestNamespace(name: string): string {
  return `${SBX_GUEST_PREFIX}${name}`
}

export function guestHostIf(name: string): string {
  return `sbx-${name}`
}
