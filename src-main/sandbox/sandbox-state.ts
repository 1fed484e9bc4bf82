/** What `sandbox up` and `guest add` made, recorded under the root so `down` removes exactly that. */
import { readTextIfExists, writeFileAtomic } from '../store/atomic-file'
import type { ProcessIdentity } from './process-identity'
import type { SandboxPaths } from './sandbox-config'
import { SandboxError } from './sandbox-config'

export interface SandboxGuest {
  name: string
  ns: string
  hostIf: string
  network: string
  bridge: string
  ipv4?: string
  ipv6?: string
  /** Time from starting the DHCP client to the configured address. */
  leaseMs?: number
  /** Time from the attach to the SLAAC address. */
  slaacMs?: number
  /** `/etc/netns/NS`, written so `ip netns exec NS …` resolves with the network's DNS. */
  etcNetns?: string
}

export interface SandboxState {
  version: 1
  root: string
  createdAt: string
  /** Namespaces `up` created (guests are in `guests`). */
  namespaces: string[]
  uplink: boolean
  httpd: ProcessIdentity | null
  /** The internet's DNS server (dnsmasq in the internet namespace). */
  dns?: ProcessIdentity | null
  /** `/etc/netns/NS` directories `up` wrote (the host namespace's resolv.conf). */
  etcNetns?: string[]
  guests: SandboxGuest[]
}

export function emptyState(root: string, now: Date): SandboxState {
  return {
    version: 1,
    root,
    createdAt: now.toISOString(),
    namespaces: [],
    uplink: false,
    httpd: null,
    dns: null,
    etcNetns: [],
    guests: []
  }
}

export async function readState(paths: SandboxPaths): Promise<SandboxState | null> {
  const text = await readTextIfExists(paths.stateFile)
  if (text === null) return null
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new SandboxError(
      `${paths.stateFile} is not valid JSON (${(error as Error).message})`,
      `remove it and the gn-sbx-* namespaces by hand`
    )
  }
  const state = value as Partial<SandboxState> | null
  if (!state || state.version !== 1 || !Array.isArray(state.namespaces) || !Array.isArray(state.guests)) {
    throw new SandboxError(
      `${paths.stateFile} is not a sandbox state file (version 1)`,
      'remove it and the gn-sbx-* namespaces by hand'
    )
  }
  return state as SandboxState
}

export async function writeState(paths: SandboxPaths, state: SandboxState): Promise<void> {
  await writeFileAtomic(paths.stateFile, `${JSON.stringify(state, null, 2)}\n`)
}
