/**
 * Guests appearing on a bridge, as the kernel's neighbour table shows them: `ip -o monitor neigh`
 * (`ip -n NS` in the sandbox), one line per new or changed entry, turned into one call per network
 * after a burst has gone quiet. Read-only; works without root in the caller's own namespace.
 */
import { netnsNameProblem } from '../core/net/netns-name'
import type { Timers } from './debounce'
import { Debouncer } from './debounce'
import type { MonitorHandle, StartMonitor } from '../host/monitor-process'

export function neighMonitorArgv(netns?: string): string[] {
  const problem = netns === undefined ? null : netnsNameProblem(netns)
  if (problem !== null) throw new Error(problem)
  return ['ip', ...(netns !== undefined ? ['-n', netns] : []), '-o', 'monitor', 'neigh']
}

/** Pure: the interface an `ip -o monitor neigh` line is about (`… dev virbr0 lladdr …`), or null. */
export function neighLineDevice(line: string): string | null {
  return /(?:^|\s)dev\s+(\S+)/.exec(line)?.[1] ?? null
}

export interface NeighWatchOptions {
  /** Bridge name → network name, asked again for every burst (networks come and go). */
  bridges(): Promise<Map<string, string>>
  onChange(network: string): void
  start: StartMonitor
  netns?: string
  timers?: Timers
  onEnd?(why: string): void
}

export function watchNeighbours(opts: NeighWatchOptions): MonitorHandle {
  const devices = new Set<string>()
  const flush = new Debouncer(
    async () => {
      const seen = [...devices]
      devices.clear()
      const byBridge = await opts.bridges().catch(() => new Map<string, string>())
      const networks = new Set(seen.flatMap((d) => (byBridge.has(d) ? [byBridge.get(d) as string] : [])))
      for (const n of networks) opts.onChange(n)
    },
    { quietMs: 300, maxWaitMs: 2000, ...(opts.timers ? { timers: opts.timers } : {}) }
  )
  const monitor = opts.start(neighMonitorArgv(opts.netns), {
    onLine(line) {
      const dev = neighLineDevice(line)
      if (dev === null) return
      devices.add(dev)
      flush.poke()
    },
    onEnd: (why) => opts.onEnd?.(why)
  })
  return {
    stop() {
      monitor.stop()
      flush.stop()
    }
  }
}
