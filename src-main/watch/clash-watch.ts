/**
 * The host watcher plus the clash check: at every change of the host's networks, which guestnet
 * networks (defined or running) now overlap a host network, which of those are news, which are
 * resolved. Shared by `guestnet watch` and the app's main process; they differ only in where the
 * networks and their states come from.
 */
import type { HostFacts } from '../core/model/host-facts'
import type { Timers } from './debounce'
import type { ClashTransitions, NetworkClash, WatchedNetwork } from './clash-report'
import { ClashTracker, findNetworkClashes, ownBridges } from './clash-report'
import type { HostChange } from './host-watcher'
import { watchHostNetworks } from './host-watcher'
import type { StartMonitor } from '../host/monitor-process'
import type { MonitorEvent } from './monitor-line'

export interface WatchReport extends ClashTransitions {
  /** The host change that led to this report; null for a recheck (our networks changed, not the host). */
  change: HostChange | null
  /** Every clash now. */
  clashes: NetworkClash[]
}

export interface ClashWatchOptions {
  networks(): Promise<WatchedNetwork[]>
  /** host.json's range pool, for suggestions. */
  pool?(): Promise<readonly string[] | undefined>
  readFacts(): Promise<HostFacts>
  onReport(report: WatchReport): void | Promise<void>
  onEvent?(event: MonitorEvent): void
  onError(message: string): void
  netns?: string
  quietMs?: number
  maxWaitMs?: number
  startMonitor?: StartMonitor
  timers?: Timers
}

export interface ClashWatch {
  ready: Promise<void>
  /** Check the clashes again with the last host facts (after a network was defined, started or renumbered). */
  recheck(): Promise<void>
  /** The clashes of the last report. */
  current(): NetworkClash[]
  stop(): void
}

export function watchClashes(opts: ClashWatchOptions): ClashWatch {
  const tracker = new ClashTracker()
  let networks: WatchedNetwork[] = []
  let facts: HostFacts | null = null
  let clashes: NetworkClash[] = []

  const evaluate = async (change: HostChange | null): Promise<void> => {
    if (facts === null) return
    const pool = await opts.pool?.().catch(() => undefined)
    clashes = findNetworkClashes(networks, facts, pool)
    await opts.onReport({ change, clashes, ...tracker.update(clashes) })
  }

  const watcher = watchHostNetworks({
    readFacts: opts.readFacts,
    ownDevs: async () => {
      networks = await opts.networks().catch((e: unknown) => {
        opts.onError(`cannot list the guestnet networks: ${(e as Error).message}`)
        return networks
      })
      return ownBridges(networks)
    },
    onChange: async (change) => {
      facts = change.facts
      await evaluate(change)
    },
    onError: opts.onError,
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
    ...(opts.quietMs !== undefined ? { quietMs: opts.quietMs } : {}),
    ...(opts.maxWaitMs !== undefined ? { maxWaitMs: opts.maxWaitMs } : {}),
    ...(opts.startMonitor ? { startMonitor: opts.startMonitor } : {}),
    ...(opts.timers ? { timers: opts.timers } : {})
  })

  return {
    ready: watcher.ready,
    async recheck() {
      networks = await opts.networks().catch(() => networks)
      // A network of ours that started or stopped changes what is ours: read the host again too.
      facts = await opts.readFacts().catch(() => facts)
      await evaluate(null)
    },
    current: () => clashes,
    stop: () => watcher.stop()
  }
}
