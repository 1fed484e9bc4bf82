/**
 * Follows the host's networks: `ip monitor` events (noise and our own bridges filtered out) poke a
 * debouncer, which re-reads the full host facts with the existing reader and reports what changed.
 * The events only say *that* something changed; the facts are always read whole, so a missed or
 * misread event costs nothing but a later report. When `ip monitor` cannot run it polls instead;
 * when it dies it is restarted (with a re-read, since events may have been lost meanwhile).
 */
import type { HostFacts } from '../core/model/host-facts'
import type { Timers } from './debounce'
import { Debouncer, REAL_TIMERS } from './debounce'
import type { HostDiff } from './host-changes'
import { describeHostNetworks, diffHostNetworks } from './host-changes'
import type { MonitorHandle, StartMonitor } from '../host/monitor-process'
import { startMonitorProcess } from '../host/monitor-process'
import { ipMonitorArgv } from './ip-monitor'
import type { MonitorEvent } from './monitor-line'
import { isNoise, parseMonitorLine } from './monitor-line'

export interface HostChange {
  facts: HostFacts
  /** Every host network and default route now (see describeHostNetworks). */
  lines: string[]
  diff: HostDiff
  /** The first reading, before any change. */
  initial: boolean
}

export interface HostWatcherOptions {
  readFacts(): Promise<HostFacts>
  /** Interfaces that are ours (running guestnet bridges): their events and networks are ignored. */
  ownDevs(): Promise<readonly string[]>
  onChange(change: HostChange): void | Promise<void>
  /** Each event that counted, as it came (before the debounce). */
  onEvent?(event: MonitorEvent): void
  onError(message: string): void
  netns?: string
  quietMs?: number
  maxWaitMs?: number
  /** Polling interval when `ip monitor` cannot run. */
  pollMs?: number
  startMonitor?: StartMonitor
  timers?: Timers
}

export interface HostWatcher {
  /** Resolves after the first reading has been reported. */
  ready: Promise<void>
  stop(): void
}

const RESTART_DELAYS_MS = [500, 1000, 2000, 5000, 10_000, 30_000]

export function watchHostNetworks(opts: HostWatcherOptions): HostWatcher {
  const timers = opts.timers ?? REAL_TIMERS
  const startMonitor = opts.startMonitor ?? startMonitorProcess
  let stopped = false
  let lines: string[] | null = null
  let own = new Set<string>()
  let monitor: MonitorHandle | null = null
  let restarts = 0
  let pollTimer: unknown = null

  const refresh = async (): Promise<void> => {
    if (stopped) return
    try {
      const [facts, devs] = await Promise.all([opts.readFacts(), opts.ownDevs()])
      own = new Set(devs)
      const now = describeHostNetworks(facts, [...own])
      const initial = lines === null
      const diff = diffHostNetworks(lines ?? [], now)
      lines = now
      if (initial || diff.added.length > 0 || diff.removed.length > 0)
        await opts.onChange({ facts, lines: now, diff, initial })
    } catch (e) {
      opts.onError(`cannot read the host's networks: ${(e as Error).message}`)
    }
  }
  const debouncer = new Debouncer(refresh, { quietMs: opts.quietMs ?? 300, maxWaitMs: opts.maxWaitMs ?? 2000, timers })

  const poll = (): void => {
    if (stopped) return
    debouncer.poke()
    pollTimer = timers.setTimeout(poll, opts.pollMs ?? 5000)
  }

  const onLine = (line: string): void => {
    const event = parseMonitorLine(line)
    if (!event || isNoise(event, own)) return
    restarts = 0
    opts.onEvent?.(event)
    debouncer.poke()
  }

  const start = (): void => {
    if (stopped) return
    monitor = startMonitor(ipMonitorArgv(opts.netns), {
      onLine,
      onEnd: (why, cannotStart) => {
        monitor = null
        if (stopped) return
        if (cannotStart) {
          opts.onError(`${why}; polling every ${Math.round((opts.pollMs ?? 5000) / 1000)} s instead`)
          poll()
          return
        }
        const delay = RESTART_DELAYS_MS[Math.min(restarts++, RESTART_DELAYS_MS.length - 1)]
        opts.onError(`${why}; restarting it in ${delay} ms`)
        timers.setTimeout(() => {
          start()
          // Changes while it was down were not seen: read once more.
          debouncer.poke()
        }, delay)
      }
    })
  }

  // Monitor first, then read: a change between the two is then seen twice rather than never.
  start()
  const ready = refresh()
  return {
    ready,
    stop() {
      stopped = true
      debouncer.stop()
      monitor?.stop()
      if (pollTimer !== null) timers.clearTimeout(pollTimer)
    }
  }
}
