/**
 * The sandbox's view of guestnet networks: which run inside it (their journals under the root), the
 * bridge a guest joins, the default network's definition, and guestnet CLI calls aimed at the sandbox.
 */
import { execFile } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'

import { parseHostFacts } from '../core/host/parse-host-facts'
import type { HostFacts } from '../core/model/host-facts'
import { readTextIfExists } from '../store/atomic-file'
import type { EnsureDefaultResult } from '../store/network-store'
import { NetworkStore } from '../store/network-store'
import type { NsExec } from './ns-exec'
import type { SandboxPaths } from './sandbox-config'
import { SBX_HOST } from './sandbox-config'

export interface RunningNetwork {
  name: string
  bridge: string
}

/** Networks with a journal under the root (hidden files are the helper's own records). */
export async function runningNetworks(paths: SandboxPaths): Promise<RunningNetwork[]> {
  let names: string[]
  try {
    names = await readdir(paths.runtimeDir)
  } catch {
    return []
  }
  const out: RunningNetwork[] = []
  for (const file of names.sort()) {
    if (file.startsWith('.') || !file.endsWith('.json')) continue
    const text = await readTextIfExists(join(paths.runtimeDir, file))
    try {
      const journal = JSON.parse(text ?? '') as { network?: unknown; bridge?: unknown }
      if (typeof journal.network === 'string' && typeof journal.bridge === 'string') {
        out.push({ name: journal.network, bridge: journal.bridge })
      }
    } catch {
      // a half-written or foreign file: not a running network
    }
  }
  return out
}

/** The host namespace's addresses and routes, as guestnet would read them there. */
export async function sandboxHostFacts(x: NsExec): Promise<HostFacts> {
  const [addr, route4, route6] = await Promise.all([
    x.ipJson<unknown>(SBX_HOST, ['addr', 'show']),
    x.ipJson<unknown>(SBX_HOST, ['route', 'show', 'table', 'all']),
    x.ipJson<unknown>(SBX_HOST, ['-6', 'route', 'show', 'table', 'all'])
  ])
  return parseHostFacts({ addr, route4, route6 }, `ip -j in ${SBX_HOST}`)
}

/** Defines the default network in the sandbox's store the first time (the store's own first-run rule). */
export async function ensureSandboxDefault(x: NsExec, paths: SandboxPaths): Promise<EnsureDefaultResult> {
  return new NetworkStore({ root: paths.root }).ensureDefault(await sandboxHostFacts(x))
}

/** The IPv4 and IPv6 subnets a defined network's bridge carries (`192.168.122.1/24`, …). */
export async function networkAddresses(paths: SandboxPaths, name: string): Promise<{ ipv4?: string; ipv6?: string }> {
  const entry = await new NetworkStore({ root: paths.root }).get(name)
  if (!entry || entry.state !== 'ok') return {}
  const find = (family: 'ipv4' | 'ipv6'): string | undefined => {
    const ip = entry.def.ips.find((i) => i.family === family)
    return ip ? `${ip.address}/${ip.prefix}` : undefined
  }
  return { ipv4: find('ipv4'), ipv6: find('ipv6') }
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
  ms: number
}

/** Runs `guestnet --root ROOT --netns gn-sbx-host ARGS` with the same CLI script. */
export type SandboxGuestnet = (args: readonly string[]) => Promise<CliResult>

export function sandboxGuestnet(cliScript: string, paths: SandboxPaths): SandboxGuestnet {
  return (args) => {
    const argv = [cliScript, '--root', paths.root, '--netns', SBX_HOST, ...args]
    // NODE_EXTRA_CA_CERTS only slows every node start (users do not set it), and the demo prints timings.
    const env = { ...process.env }
    delete env.NODE_EXTRA_CA_CERTS
    const started = performance.now()
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        argv,
        { timeout: 60_000, maxBuffer: 8 * 1024 * 1024, env },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
          resolve({ code, stdout: String(stdout), stderr: String(stderr), ms: performance.now() - started })
        }
      )
    })
  }
}
