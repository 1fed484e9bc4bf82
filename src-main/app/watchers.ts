/**
 * What changes behind the app's back, turned into events: lease files (guests coming and going),
 * the host's addresses and routes (a VPN coming up), and networks starting or stopping elsewhere
 * (the CLI, boot). Leases and states are polled (the directories may not exist yet). The host's
 * networks are followed with `ip monitor` (`ip -n NS` in the sandbox) when `clashes` is given,
 * which also checks every network for a clash (src-main/watch); else they are polled too. The
 * bridges' neighbour tables are followed with `ip monitor neigh` when `neighbours` is given: a guest
 * appearing there (a SLAAC address, say) is announced as `leases:changed` for its network.
 * No electron import.
 */
import { stat } from 'node:fs/promises'

import type { GuardianFrame } from '../contract/helper-protocol'
import type { HostFacts } from '../core/model/host-facts'
import type { WatchedNetwork } from '../watch/clash-report'
import { watchClashes } from '../watch/clash-watch'
import type { StartMonitor } from '../host/monitor-process'
import { startMonitorProcess } from '../host/monitor-process'
import { watchNeighbours } from '../watch/neigh-watch'
import type { Emit } from './network-service'
import type { ClashBoard } from './service/clash-board'
import { newGuardianFrames } from './service/guardian-news'

export interface ClashWatchDeps {
  board: ClashBoard
  networks(): Promise<WatchedNetwork[]>
  /** Fresh facts (not cached): called after the monitor saw a change. */
  readFacts(): Promise<HostFacts>
  pool(): Promise<readonly string[] | undefined>
  netns?: string
  log?(message: string): void
}

export interface WatchDeps {
  emit: Emit
  networkNames(): Promise<string[]>
  leasesFile(name: string): string
  /** A fingerprint of the host's networks (e.g. their JSON). */
  hostFingerprint(): Promise<string>
  states(): Promise<Map<string, 'active' | 'inactive' | 'broken'>>
  /** Follow the host with `ip monitor` and check for clashes, instead of polling hostFingerprint. */
  clashes?: ClashWatchDeps
  /** Follow the bridges' neighbour tables (`ip monitor neigh`): a guest appearing is a `leases:changed`. */
  neighbours?: NeighbourWatchDeps
  /** What the guardian of the warm service did (its frames file), each new frame told to `notify`. */
  guardian?: { frames(): Promise<GuardianFrame[]>; notify(frame: GuardianFrame): void }
}

export interface NeighbourWatchDeps {
  /** Bridge name → network name. */
  bridges(): Promise<Map<string, string>>
  netns?: string
  start?: StartMonitor
  log?(message: string): void
}

export interface WatchIntervals {
  leasesMs: number
  hostMs: number
  statesMs: number
  guardianMs?: number
}

export const DEFAULT_INTERVALS: WatchIntervals = { leasesMs: 2000, hostMs: 5000, statesMs: 10_000 }

/** One round of every check; returns what changed (tests call this directly). */
export class ChangeWatcher {
  private leases = new Map<string, string>()
  private host: string | null = null
  private states: Map<string, string> | null = null
  private guardianSeen: string | null = null
  private readonly deps: WatchDeps

  constructor(deps: WatchDeps) {
    this.deps = deps
  }

  async checkLeases(): Promise<void> {
    for (const name of await this.deps.networkNames()) {
      const s = await stat(this.deps.leasesFile(name)).catch(() => null)
      const mark = s ? `${s.mtimeMs}:${s.size}` : 'none'
      const before = this.leases.get(name)
      this.leases.set(name, mark)
      if (before !== undefined && before !== mark) this.deps.emit('leases:changed', { network: name })
    }
  }

  async checkGuardian(): Promise<void> {
    const g = this.deps.guardian
    if (!g) return
    const frames = await g.frames().catch(() => null)
    if (frames === null) return
    const { fresh, seen } = newGuardianFrames(frames, this.guardianSeen)
    this.guardianSeen = seen
    for (const f of fresh) g.notify(f)
    // What it restored may have changed a network's state (a bridge made again).
    if (fresh.length > 0) await this.checkStates()
  }

  async checkHost(): Promise<void> {
    const now = await this.deps.hostFingerprint().catch(() => null)
    if (now === null) return
    if (this.host !== null && this.host !== now) this.deps.emit('host:networks-changed', { at: Date.now() })
    this.host = now
  }

  async checkStates(): Promise<void> {
    const now = await this.deps.states()
    const before = this.states
    this.states = new Map([...now].map(([k, v]) => [k, v]))
    if (!before) return
    let changed = false
    for (const [network, status] of now) {
      if (before.get(network) === status) continue
      changed = true
      this.deps.emit('network:state-changed', { network, status })
    }
    // A network of ours started or stopped: what counts as our own bridge changed.
    if (changed) await this.deps.clashes?.board.recheck().catch(() => undefined)
  }
}

/** Runs the checks on timers; the returned function stops them. */
export function startWatching(deps: WatchDeps, intervals: WatchIntervals = DEFAULT_INTERVALS): () => void {
  const w = new ChangeWatcher(deps)
  const every = (ms: number, fn: () => Promise<void>): ReturnType<typeof setInterval> => {
    let running = false
    void fn()
    return setInterval(() => {
      if (running) return
      running = true
      void fn().finally(() => (running = false))
    }, ms)
  }
  const timers = [every(intervals.leasesMs, () => w.checkLeases()), every(intervals.statesMs, () => w.checkStates())]
  if (deps.guardian) timers.push(every(intervals.guardianMs ?? 2000, () => w.checkGuardian()))
  let stopHost = (): void => undefined
  const c = deps.clashes
  if (c) {
    const watch = watchClashes({
      networks: c.networks,
      readFacts: c.readFacts,
      pool: c.pool,
      ...(c.netns !== undefined ? { netns: c.netns } : {}),
      onReport: (r) => {
        c.board.update(r)
        if (r.change && !r.change.initial) deps.emit('host:networks-changed', { at: Date.now() })
      },
      onError: (m) => c.log?.(m)
    })
    c.board.recheck = () => watch.recheck()
    stopHost = () => watch.stop()
  } else {
    timers.push(every(intervals.hostMs, () => w.checkHost()))
  }
  const n = deps.neighbours
  const neigh = n
    ? watchNeighbours({
        bridges: n.bridges,
        onChange: (network) => deps.emit('leases:changed', { network }),
        start: n.start ?? startMonitorProcess,
        ...(n.netns !== undefined ? { netns: n.netns } : {}),
        onEnd: (why) => n.log?.(`neighbour watch ended: ${why}`)
      })
    : null
  for (const t of timers) t.unref?.()
  return () => {
    timers.forEach(clearInterval)
    stopHost()
    neigh?.stop()
  }
}
