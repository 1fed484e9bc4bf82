/**
 * A long-running read-only monitor program (`ip -o monitor …`, `nft monitor`) as a stream of lines,
 * argv only, its environment fixed. Used by the app's host watcher (watch/host-watcher.ts) and the
 * helper's guardian (helper/guardian/monitors.ts). Injectable for tests.
 */
import type { ChildProcess } from 'node:child_process'
import { spawn as nodeSpawn } from 'node:child_process'

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

export const startMonitorProcess: StartMonitor = (argv, cb) => {
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
        `cannot run '${argv.join(' ')}': ${e.code === 'ENOENT' ? `the '${argv[0]}' program is not installed` : e.message}`,
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
