/**
 * `ip -o monitor label link route address rule` as a stream of lines: links (an MTU change), every routing table (VPN policy
 * tables included, since netlink reports all of them), every address, every policy rule. In a
 * namespace: `ip -n NS …`. Read-only; works without root in the caller's own namespace.
 */
import type { ChildProcess } from 'node:child_process'
import { spawn as nodeSpawn } from 'node:child_process'

import { netnsNameProblem } from '../core/net/netns-name'

export interface MonitorHandle {
  stop(): void
}

export interface MonitorCallbacks {
  onLine(line: string): void
  /** The monitor ended by itself: `why` says how (exit code, signal, cannot start). */
  onEnd(why: string, cannotStart: boolean): void
}

/** Starts one monitor process. Injectable for tests. */
export type StartMonitor = (argv: readonly string[], cb: MonitorCallbacks) => MonitorHandle

export function ipMonitorArgv(netns?: string): string[] {
  const problem = netns === undefined ? null : netnsNameProblem(netns)
  if (problem !== null) throw new Error(problem)
  // `link` too: an uplink's MTU changes without any route or address event.
  return [
    'ip',
    ...(netns !== undefined ? ['-n', netns] : []),
    '-o',
    'monitor',
    'label',
    'link',
    'route',
    'address',
    'rule'
  ]
}

export const startIpMonitor: StartMonitor = (argv, cb) => {
  let stopped = false
  let rest = ''
  let child: ChildProcess
  try {
    child = nodeSpawn(argv[0], argv.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { LC_ALL: 'C', PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }
    })
  } catch (e) {
    queueMicrotask(() => cb.onEnd(`cannot run ${argv[0]}: ${(e as Error).message}`, true))
    return { stop: () => undefined }
  }
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) cb.onLine(line)
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-1000)))
  child.once('error', (e: NodeJS.ErrnoException) => {
    if (!stopped)
      cb.onEnd(
        `cannot run '${argv.join(' ')}': ${e.code === 'ENOENT' ? "the 'ip' program (iproute2) is not installed" : e.message}`,
        true
      )
    stopped = true
  })
  child.once('close', (code, signal) => {
    if (stopped) return
    stopped = true
    const detail = stderr.trim() ? `: ${stderr.trim()}` : ''
    cb.onEnd(`'${argv.join(' ')}' ended (${signal ? `signal ${signal}` : `exit ${code}`})${detail}`, false)
  })
  return {
    stop() {
      if (stopped) return
      stopped = true
      // Our own child, by its handle: nothing else is signalled.
      child.kill('SIGTERM')
    }
  }
}
