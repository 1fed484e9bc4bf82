/**
 * `--netns NAME`: everything happens inside that existing network namespace. Node cannot setns(2),
 * so the helper re-executes itself under `ip netns exec NAME`; /proc/sys, ip, nft and dnsmasq then
 * all act inside it. Before acting, the helper checks it really is inside (same nsfs inode as
 * /run/netns/NAME, and not the namespace of pid 1): a namespace request never touches the
 * machine's own namespace.
 */
import { spawn } from 'node:child_process'
import { constants } from 'node:os'

import { netnsNameProblem } from '../core/net/netns-name'
import { nsIdentity } from '../host/ns-identity'
import { HelperError } from '../contract/helper-protocol'
import { resolveProgram } from './run/programs'
import { childEnv, keptEnv } from './run/safe-env'

export const NETNS_CHILD_ENV = 'GUESTNET_HELPER_NETNS_CHILD'

export interface NsIdentities {
  /** `dev:ino` of /proc/self/ns/net. */
  self: string | null
  /** `dev:ino` of /run/netns/NAME, null when it does not exist. */
  target: string | null
  /** `dev:ino` of /proc/1/ns/net (the machine's own namespace), null when unreadable. */
  init: string | null
}

export type NetnsDecision =
  { action: 'proceed' } | { action: 'reexec' } | { action: 'refuse'; message: string; fix?: string }

/** Pure: what to do with a request's `netns` given where the helper runs. Never `proceed` outside the namespace. */
export function decideNetns(requested: string | undefined, ids: NsIdentities, isChild: boolean): NetnsDecision {
  if (requested === undefined) return { action: 'proceed' }
  const problem = netnsNameProblem(requested)
  if (problem) return { action: 'refuse', message: problem }
  if (ids.target === null) {
    return {
      action: 'refuse',
      message: `no network namespace '${requested}' (/run/netns/${requested} does not exist)`,
      fix: `create it first: ip netns add ${requested}`
    }
  }
  if (ids.init !== null && ids.target === ids.init) {
    return {
      action: 'refuse',
      message: `network namespace '${requested}' is the machine's own namespace: refusing to act on it`
    }
  }
  if (ids.self !== null && ids.self === ids.target) return { action: 'proceed' }
  if (isChild || ids.self === null) {
    return {
      action: 'refuse',
      message: `the helper is not inside network namespace '${requested}' after 'ip netns exec': refusing to act`
    }
  }
  return { action: 'reexec' }
}

export function readNsIdentities(name: string | undefined): NsIdentities {
  return {
    self: nsIdentity('/proc/self/ns/net'),
    target: name === undefined || netnsNameProblem(name) ? null : nsIdentity(`/run/netns/${name}`),
    init: nsIdentity('/proc/1/ns/net')
  }
}

/** Throws unless the helper may act here for `netns` (inside it, or no namespace asked for). */
export function assertInNetns(netns: string | undefined): void {
  const d = decideNetns(netns, readNsIdentities(netns), true)
  if (d.action !== 'proceed') {
    throw new HelperError('NETNS', d.action === 'refuse' ? d.message : `not inside network namespace '${netns}'`, {
      field: 'args.netns',
      ...(d.action === 'refuse' && d.fix ? { fix: d.fix } : {})
    })
  }
}

export interface ReexecOptions {
  netns: string
  /** The helper's own script (`out/main/helper.js`). */
  helperScript: string
  requestLine: string
  onStdout: (chunk: string) => void
  onStderr?: (chunk: string) => void
}

export interface ReexecHandle {
  done: Promise<number>
  signal(sig: NodeJS.Signals): void
}

/** Runs the helper again under `ip netns exec NAME`, feeding it the same request. */
export function reexecInNetns(opts: ReexecOptions): ReexecHandle {
  const ip = resolveProgram('ip')
  const child = spawn(ip, ['netns', 'exec', opts.netns, process.execPath, opts.helperScript], {
    shell: false,
    cwd: '/',
    env: childEnv({ ...keptEnv(), [NETNS_CHILD_ENV]: '1' }),
    stdio: ['pipe', 'pipe', 'pipe']
  })
  child.stdout.setEncoding('utf8').on('data', opts.onStdout)
  child.stderr.setEncoding('utf8').on('data', opts.onStderr ?? ((d: string) => process.stderr.write(d)))
  child.stdin.on('error', () => undefined)
  child.stdin.end(opts.requestLine.endsWith('\n') ? opts.requestLine : `${opts.requestLine}\n`)
  const done = new Promise<number>((resolve) => {
    child.once('error', () => resolve(3))
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 15) : 70)))
  })
  return { done, signal: (sig) => child.kill(sig) }
}
