/**
 * The guardian: while the warm service runs (service/serve.ts), it keeps each running network of
 * its store as its start made it. Which networks and which objects come from the journals (facts
 * only); the values, addresses and ruleset from the plan rebuilt from the stored definition, used
 * only while the network's generated files are still that plan's. When another tool deletes or
 * changes one (`nft flush ruleset`, `sysctl --system`, `ip addr del`, a killed dnsmasq), it puts it
 * back with the plan's own commands on the one executor (apply-plan.ts), under the runtime
 * directory's lock, and says so (a frame for the app, a log line). It leaves alone a network being
 * started, stopped (the journal says `stopping`) or changed by a request, and one whose objects
 * something keeps undoing (backoff.ts). Port forwards to a guest's MAC follow its address: when
 * the guests' leases or IPv6 neighbours move a forward, the table is replaced as forward-refresh
 * does it (ops/forward-live.ts).
 */
import { lstatSync, statSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

import type { GuardianFrame } from '../../contract/helper-protocol'
import type { GuestAddresses } from '../../core/forward/resolve-forwards'
import { resolveForwards } from '../../core/forward/resolve-forwards'
import type { NetworkDef } from '../../core/model/network'
import type { Plan } from '../../core/model/plan'
import { wantsLanIpv6 } from '../../core/model/uplink-mode'
import { ARTIFACT_KEYS, artifactPath } from '../../core/plan/build-plan'
import { networkPaths } from '../../core/plan/network-paths'
import type { NetworkRecord } from '../../core/plan/network-record'
import { formatRecord } from '../../core/plan/network-record'
import type { HelperPaths } from '../../core/store/helper-paths'
import { storeIdOf } from '../../core/store/store-id'
import { applyPlan, messageOf } from '../apply-plan'
import type { OpsDeps } from '../ops/deps'
import { prepareLiveForwards, runLiveForwards } from '../ops/forward-live'
import { readGuestAddresses } from '../ops/guest-addresses'
import { realDeps } from '../ops/real-deps'
import { processStartTime, readPidfile } from '../run/dnsmasq-process'
import { guardianFrame, guardianLogLine } from '../service/service-frames'
import { readRecord, writeRecord } from '../state/journal'
import { currentNsId, tableKey } from '../state/live-state'
import { withLockIfFree } from '../state/lock'
import { runtimeEntries } from '../state/runtime-entries'
import type { BackoffPolicy, BackoffState } from './backoff'
import { DEFAULT_BACKOFF, FRESH_BACKOFF, onIntact, onUndo } from './backoff'
import type { Drift, DriftKind, WantedNetwork } from './drift'
import { differingArtifacts, findDrift, restoreSteps, wantedOf } from './drift'
import type { Monitors } from './monitors'
import { startMonitors } from './monitors'
import type { LanGuardState } from './lan-guard'
import { guardLan } from './lan-guard'
import { observeNetwork, presentTables, tableListing } from './observe'
import type { StoredNetwork } from './stored-plan'
import { generatedFile, storedPlan } from './stored-plan'

export interface GuardianOptions {
  paths: HelperPaths
  /** The resolved `--root`, undefined for the system store. */
  root: string | undefined
  log(line: string): void
  onFrame(frame: GuardianFrame): void
  /** A request naming this network (or every network) is queued or running in the service. */
  busy(network: string): boolean
  policy?: BackoffPolicy
}

/** The cheap look (sysctls, bridge, dnsmasq) this often; nft and ip on their events, and: */
const TICK_MS = 250
const FULL_WITH_MONITORS_MS = 5000
const FULL_WITHOUT_MONITORS_MS = 500

const WHAT: Record<DriftKind, GuardianFrame['what']> = {
  bridge: 'bridge',
  address: 'address',
  table: 'firewall',
  sysctl: 'sysctl',
  dnsmasq: 'dnsmasq',
  port: 'ports',
  zone: 'zone'
}

interface Guarded {
  startedAt: string
  generation: number
  /** The journal and the generated files as they were when the plan was checked against them. */
  fingerprint: string
  /** null: not guarded (it runs another definition than the stored one; said once). */
  plan: Plan | null
  wanted: WantedNetwork | null
  baseline: Map<string, string>
  backoff: Map<string, BackoffState>
  /** Ports seen with their isolation flag: one without it that is not here joined since. */
  isolated: Set<string>
  /** With port forwards: the definition, where they went when planned, and the lease file's stamp. */
  forwards: { def: NetworkDef; resolved: string; leases: string } | null
  /** ipv6='lan': it follows the uplink's prefix and its guests on full looks (lan-guard.ts). */
  lan: LanGuardState | null
}

/** Where a network's forwards go with these guests, as a comparable text. */
const resolvedKey = (def: NetworkDef, guests: GuestAddresses): string => JSON.stringify(resolveForwards(def, guests))

function fileStamp(path: string): string {
  try {
    const st = statSync(path)
    return `${st.mtimeMs}:${st.size}`
  } catch {
    return '-'
  }
}

function filesFingerprint(paths: HelperPaths, r: NetworkRecord): string {
  const p = networkPaths(paths.plan, r.network)
  const stamps = ARTIFACT_KEYS.map((k) => {
    try {
      const st = lstatSync(artifactPath(p, k))
      return `${st.mtimeMs}:${st.size}`
    } catch {
      return '-'
    }
  })
  return `${formatRecord(r)}|${stamps.join('|')}`
}

export class Guardian {
  private readonly nets = new Map<string, Guarded>()
  private readonly store: string
  private readonly nsId = currentNsId()
  private readonly policy: BackoffPolicy
  private timer: NodeJS.Timeout | null = null
  private monitors: Monitors | null = null
  private checking = false
  private pending: 'none' | 'cheap' | 'full' = 'none'
  private lastFull = 0
  private generation = 0
  private stopped = false

  constructor(private readonly opts: GuardianOptions) {
    this.store = storeIdOf(opts.root ?? null)
    this.policy = opts.policy ?? DEFAULT_BACKOFF
  }

  start(): void {
    this.monitors = startMonitors(
      () => this.poke(true),
      (line) => this.opts.log(line)
    )
    this.timer = setInterval(() => this.poke(false), TICK_MS)
    this.poke(true)
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.monitors?.stop()
  }

  /** A request changed something: look at every network afresh (plan, loaded rules) next time. */
  invalidate(): void {
    this.generation++
  }

  /** Networks of this store with a journal here (the service stays while there are any). */
  running(): string[] {
    return [...runtimeEntries(this.opts.paths.plan.runtimeDir).journals.keys()]
  }

  private poke(full: boolean): void {
    if (this.stopped) return
    const fullDue =
      full ||
      performance.now() - this.lastFull >= (this.monitors?.up() ? FULL_WITH_MONITORS_MS : FULL_WITHOUT_MONITORS_MS)
    if (this.checking) {
      if (fullDue) this.pending = 'full'
      else if (this.pending === 'none') this.pending = 'cheap'
      return
    }
    void this.check(fullDue)
  }

  private async check(full: boolean): Promise<void> {
    this.checking = true
    const seenAt = performance.now()
    try {
      if (full) this.lastFull = seenAt
      const found = runtimeEntries(this.opts.paths.plan.runtimeDir)
      for (const name of this.nets.keys()) if (!found.journals.has(name)) this.nets.delete(name)
      if (found.journals.size === 0) return
      const tables = full ? await presentTables() : null
      for (const name of found.journals.keys()) {
        if (this.stopped) return
        if (found.intents.has(name) || this.opts.busy(name)) continue
        await this.checkNetwork(name, full ? { tables } : null, seenAt).catch((e: unknown) =>
          this.opts.log(`guardian: ${name}: ${messageOf(e)}`)
        )
      }
    } finally {
      this.checking = false
      const next = this.pending
      this.pending = 'none'
      if (next !== 'none' && !this.stopped) setImmediate(() => this.poke(next === 'full'))
    }
  }

  /** The journal, when it is a running network of this store and namespace that is not going down. */
  private guardedRecord(name: string): NetworkRecord | null {
    const rec = readRecord(this.opts.paths.journal(name), { network: name, store: this.store })
    if (!rec?.ok) return null
    const r = rec.record
    if (r.kind !== 'journal' || r.stopping === true) return null
    if (r.nsId !== null && this.nsId !== null && r.nsId !== this.nsId) return null
    return r
  }

  private async adopt(name: string, r: NetworkRecord): Promise<Guarded> {
    const old = this.nets.get(name)
    const g: Guarded = {
      startedAt: r.startedAt,
      generation: this.generation,
      fingerprint: filesFingerprint(this.opts.paths, r),
      plan: null,
      wanted: null,
      baseline: new Map(),
      backoff: old?.startedAt === r.startedAt ? old.backoff : new Map(),
      isolated: old?.startedAt === r.startedAt ? old.isolated : new Set(),
      forwards: null,
      lan: null
    }
    this.nets.set(name, g)
    const deps = this.deps()
    let stored: StoredNetwork
    try {
      stored = await storedPlan(name, this.opts.paths, this.store, (def) =>
        readGuestAddresses(deps, name, def.bridge?.name ?? null)
      )
    } catch (e) {
      this.frame('not-guarded', name, 'definition', `its stored definition cannot be planned (${messageOf(e)})`, null)
      return g
    }
    const { plan, def } = stored
    if (wantsLanIpv6(def)) g.lan = { def, last: old?.lan?.last ?? null }
    const differing = (): ReturnType<typeof differingArtifacts> =>
      differingArtifacts(plan, (k) => generatedFile(this.opts.paths, name, k))
    let differ = differing()
    const forwarded = (def.guestnet?.portForwards ?? []).length > 0
    // Only the table differs, and it has forwards: a guest moved since they were planned. Once they
    // follow it, the table is the plan's again.
    if (forwarded && differ.length === 1 && differ[0] === 'nft') {
      await withLockIfFree(this.opts.paths.lockFile, () => this.followGuests(name, stored, deps))
      differ = differing()
      g.fingerprint = filesFingerprint(this.opts.paths, r)
    }
    if (differ.length > 0) {
      if (old?.plan !== null || old.startedAt !== r.startedAt)
        this.frame(
          'not-guarded',
          name,
          'definition',
          `it runs another definition than the stored one (its ${differ.join(', ')} differ); restart it to have it guarded`,
          null
        )
      return g
    }
    g.plan = plan
    g.wanted = wantedOf(plan, r)
    if (forwarded)
      g.forwards = {
        def,
        resolved: resolvedKey(def, stored.guests),
        leases: fileStamp(this.opts.paths.leasesFile(name))
      }
    await this.takeBaseline(g)
    return g
  }

  private async takeBaseline(g: Guarded): Promise<void> {
    g.baseline.clear()
    for (const t of g.wanted?.tables ?? []) {
      const text = await tableListing(t)
      if (text !== null) g.baseline.set(tableKey(t), text)
    }
  }

  private async checkNetwork(
    name: string,
    full: { tables: ReadonlySet<string> | null } | null,
    seenAt: number
  ): Promise<void> {
    const r = this.guardedRecord(name)
    if (r === null) return
    let g = this.nets.get(name)
    // Anything that changed the journal or the files (a renumber by another helper, this guardian's
    // own restore) makes it look again: plan, comparison, loaded rules.
    if (
      !g ||
      g.startedAt !== r.startedAt ||
      g.generation !== this.generation ||
      g.fingerprint !== filesFingerprint(this.opts.paths, r)
    )
      g = await this.adopt(name, r)
    // Before the drift check: after a roam the files differ from the plan until the network follows.
    if (g.lan !== null && full !== null) {
      await guardLan(name, g.lan, { lockFile: this.opts.paths.lockFile, deps: () => this.deps(), log: this.opts.log })
      // It moved to another prefix: the next look adopts the new files.
      if (g.fingerprint !== filesFingerprint(this.opts.paths, r)) return
    }
    if (g.plan === null || g.wanted === null) return
    // Forwards that followed a guest changed the table: the next look adopts it (plan, loaded rules).
    if (g.forwards !== null && (await this.checkForwards(name, g.forwards, full !== null))) return
    const observed = await observeNetwork({
      wanted: g.wanted,
      record: r,
      paths: this.opts.paths,
      baseline: g.baseline,
      full
    })
    for (const port of observed.isolatedPorts) g.isolated.add(port)
    const drifts = findDrift(g.wanted, observed)
    const now = Date.now()
    const drifting = new Set(drifts.map((d) => d.object))
    for (const [object, state] of g.backoff)
      if (!drifting.has(object)) g.backoff.set(object, onIntact(state, now, this.policy))
    // Held objects are left as they are, without taking the lock.
    const due = drifts.filter((d) => {
      const s = g.backoff.get(d.object)
      return !(s?.heldUntil != null && now < s.heldUntil)
    })
    if (due.length === 0) return
    const done = await withLockIfFree(this.opts.paths.lockFile, () => this.restore(name, seenAt))
    // Busy (a request or another helper holds the lock): the next look tries again.
    if (done === null) return
  }

  private deps(): OpsDeps {
    return realDeps({
      paths: this.opts.paths,
      root: this.opts.root ?? null,
      netns: null,
      emit: () => undefined,
      shouldStop: () => false,
      faults: false
    })
  }

  /**
   * On the full look, or when the lease file changed: where the forwards would go now. Moved: the
   * table is replaced (the next look adopts the new files).
   */
  private async checkForwards(name: string, fw: NonNullable<Guarded['forwards']>, full: boolean): Promise<boolean> {
    const leases = fileStamp(this.opts.paths.leasesFile(name))
    if (!full && leases === fw.leases) return false
    fw.leases = leases
    const deps = this.deps()
    const guests = await readGuestAddresses(deps, name, fw.def.bridge?.name ?? null)
    const resolved = resolvedKey(fw.def, guests)
    if (resolved === fw.resolved) return false
    const followed = await withLockIfFree(this.opts.paths.lockFile, async () =>
      this.followGuests(name, await storedPlan(name, this.opts.paths, this.store, async () => guests), deps)
    )
    // Tried (done or failed): not again until they move again. Busy (null): the next look tries again.
    if (followed !== null) fw.resolved = resolved
    return followed?.value === true
  }

  /** Under the lock: the network's forwards go where its guests are now (one nft transaction). */
  /** Whether the table changed. */
  private async followGuests(name: string, stored: StoredNetwork, deps: OpsDeps): Promise<boolean> {
    if (this.opts.busy(name) || this.guardedRecord(name) === null) return false
    const { def, facts, guests } = stored
    try {
      const prepared = await prepareLiveForwards({ oldDef: def, newDef: def, facts, guests, deps })
      await runLiveForwards(prepared, deps)
      if (prepared.plan.changed) this.opts.log(`guardian: ${name}: port forwards follow their guests' new addresses`)
      return prepared.plan.changed
    } catch (e) {
      this.opts.log(`guardian: ${name}: port forwards could not follow their guests (${messageOf(e)})`)
      return false
    }
  }

  /** Under the lock: everything checked again, then restored. */
  private async restore(name: string, seenAt: number): Promise<void> {
    const r = this.guardedRecord(name)
    const g = this.nets.get(name)
    if (r === null || !g || g.plan === null || g.wanted === null || g.startedAt !== r.startedAt) return
    if (this.opts.busy(name)) return
    const plan = g.plan
    const differ = differingArtifacts(plan, (k) => generatedFile(this.opts.paths, name, k))
    if (differ.length > 0) {
      g.plan = null
      this.frame('not-guarded', name, 'definition', `its generated files changed (${differ.join(', ')})`, null)
      return
    }
    const tables = await presentTables()
    const observed = await observeNetwork({
      wanted: g.wanted,
      record: r,
      paths: this.opts.paths,
      baseline: g.baseline,
      full: { tables }
    })
    const now = Date.now()
    const toRestore: Drift[] = []
    for (const found of findDrift(g.wanted, observed)) {
      const port = found.kind === 'port' ? found.object.slice('port '.length) : null
      const d: Drift =
        port !== null && !g.isolated.has(port) ? { ...found, detail: `port ${port} joined ${r.bridge ?? ''}` } : found
      // A port that joined is new, not undone: it never counts towards the backoff.
      if (port !== null && !g.isolated.has(port)) {
        toRestore.push(d)
        continue
      }
      const decided = onUndo(g.backoff.get(d.object) ?? FRESH_BACKOFF, now, this.policy)
      g.backoff.set(d.object, decided.state)
      if (decided.action.kind === 'restore') toRestore.push(d)
      else if (decided.action.kind === 'give-up' && decided.action.report)
        this.frame(
          'gave-up',
          name,
          WHAT[d.kind],
          `something keeps undoing ${d.object} of ${name} (${d.detail}); guestnet stopped restoring it for ${Math.round(decided.action.quietMs / 1000)} s`,
          null
        )
    }
    if (toRestore.length === 0) return
    const present = r.tables.filter((t) => tables?.has(tableKey(t)) ?? false)
    const steps = restoreSteps(toRestore, plan, this.opts.paths.plan, { tables: present, zone: r.zone ?? null })
    const deps = this.deps()
    const runner = deps.runnerFor(name, { artifacts: plan.artifacts, bridge: r.bridge })
    const out = await applyPlan(steps, runner, { network: name })
    const ms = performance.now() - seenAt
    if (out.ok && toRestore.some((d) => d.kind === 'dnsmasq')) {
      const pid = readPidfile(networkPaths(this.opts.paths.plan, name).pidfile)
      const startTime = pid === null ? null : processStartTime(pid)
      writeRecord(this.opts.paths.journal(name), { ...r, dnsmasq: { pid, startTime } })
    }
    if (out.ok && toRestore.some((d) => d.kind === 'table' || d.kind === 'bridge')) await this.takeBaseline(g)
    if (out.ok) for (const d of toRestore) if (d.kind === 'port') g.isolated.add(d.object.slice('port '.length))
    for (const d of toRestore) {
      if (out.ok) this.frame('restored', name, WHAT[d.kind], d.detail, ms)
      else this.frame('failed', name, WHAT[d.kind], `${d.detail}: ${messageOf(out.error)}`, null)
    }
  }

  private frame(
    event: GuardianFrame['event'],
    network: string,
    what: GuardianFrame['what'],
    detail: string,
    ms: number | null
  ): void {
    const f = guardianFrame(event, network, what, detail, ms, new Date())
    this.opts.log(`guestnet-helper service: ${guardianLogLine(f)}`)
    this.opts.onFrame(f)
  }
}
