/**
 * The guardian's ears: `nft monitor` and `ip -o monitor link address neigh` in the service's namespace
 * (argv only, read-only), each line a prompt to look now. A monitor that ends is started again
 * after a second; while one is down the guardian looks more often.
 */
import type { MonitorHandle, StartMonitor } from '../../host/monitor-process'
import { startMonitorProcess } from '../../host/monitor-process'

const MONITORS: ReadonlyArray<readonly string[]> = [
  ['nft', 'monitor'],
  // neigh: a guest's new IPv6 address, which a port forward to its MAC follows.
  ['ip', '-o', 'monitor', 'link', 'address', 'neigh']
]

export interface Monitors {
  /** Every monitor is running. */
  up(): boolean
  stop(): void
}

export function startMonitors(
  onChange: () => void,
  log: (line: string) => void,
  start: StartMonitor = startMonitorProcess
): Monitors {
  let stopped = false
  const handles = new Map<number, MonitorHandle | null>()
  const run = (i: number): void => {
    if (stopped) return
    const argv = MONITORS[i]
    handles.set(
      i,
      start(argv, {
        onLine: () => onChange(),
        onEnd: (why) => {
          handles.set(i, null)
          if (stopped) return
          log(`guardian: ${why}; starting it again in 1 s`)
          setTimeout(() => run(i), 1000).unref()
        }
      })
    )
  }
  MONITORS.forEach((_, i) => run(i))
  return {
    up: () => [...handles.values()].every((h) => h !== null),
    stop() {
      stopped = true
      for (const h of handles.values()) h?.stop()
    }
  }
}
