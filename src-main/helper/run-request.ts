/**
 * Runs one checked request in this process: who may ask for it (caller.ts), the namespace guard, the
 * store root (store/store-root.ts), the verb (each loaded on demand), the lock for verbs that change
 * anything. Used by the one-shot helper (main.ts), the warm service (service/serve.ts) and, when the
 * CLI already runs as root, by the CLI itself (in-process.ts).
 */
import type { HelperRequest, HelperResult, HelperValue, HelperVerb, StepEvent } from '../contract/helper-protocol'
import { errorBody, HelperError, isReadOnly } from '../contract/helper-protocol'
import type { HostFacts } from '../core/model/host-facts'
import { helperPaths } from '../core/store/helper-paths'
import { FACTS_BATCH } from '../host/read-host-facts'
import type { NetworkStore } from '../store/network-store'
import { ensureOwnDirs, UnsafePathError } from '../store/safe-fs'
import type { Caller } from './caller'
import { actsAsRoot, callerRefusal, isTrusted } from './caller'
import { assertInNetns } from './netns'
import { realDeps } from './ops/real-deps'
import { execProgram } from './run/exec-program'
import type { IpSession } from './run/ip-session'
import { openIpSession } from './run/ip-session'
import type { NftLoader } from './run/nft-loader'
import { prestartNft } from './run/nft-loader'
import { withLock } from './state/lock'
import { resolveTestRoot } from './test-root'
import type { VerbContext, VerbRun } from './verbs/context'

type VerbModules = { [V in HelperVerb]: () => Promise<{ run: VerbRun<V> }> }

const VERBS: VerbModules = {
  define: () => import('./verbs/define'),
  undefine: () => import('./verbs/undefine'),
  start: () => import('./verbs/start'),
  stop: () => import('./verbs/stop'),
  autostart: () => import('./verbs/autostart'),
  'autostart-all': () => import('./verbs/autostart-all'),
  apply: () => import('./verbs/apply'),
  status: () => import('./verbs/status'),
  leases: () => import('./verbs/leases'),
  reconcile: () => import('./verbs/reconcile'),
  'restore-default': () => import('./verbs/restore-default'),
  doctor: () => import('./verbs/doctor'),
  renumber: () => import('./verbs/renumber'),
  update: () => import('./verbs/update'),
  forward: () => import('./verbs/forward'),
  span: () => import('./verbs/span'),
  forwards: () => import('./verbs/forwards'),
  'forward-refresh': () => import('./verbs/forward-refresh'),
  'follow-uplink': () => import('./verbs/follow-uplink')
}

/** Verbs that need the live host's addresses and routes. */
const FACT_VERBS: ReadonlySet<HelperVerb> = new Set([
  'start',
  'autostart-all',
  'define',
  'apply',
  'restore-default',
  'renumber',
  'update',
  'forward',
  'span',
  'forward-refresh',
  'follow-uplink'
])

export interface RunOptions {
  caller: Caller
  /** The test switches set in the helper's environment (caller.ts refuses them for others than root). */
  switches: readonly string[]
  emit(event: StepEvent): void
  /** True once SIGTERM/SIGINT arrived: the transaction stops before its next step and rolls back. */
  shouldStop(): boolean
  /**
   * Processes started before the request came (the service keeps one of each ready, service/warm-pool.ts):
   * taken instead of starting them now. Each is used by one request only, then ended.
   */
  warm?: WarmPrograms
}

export interface WarmPrograms {
  takeIpSession(): IpSession | null
  takeNft(): NftLoader | null
  takeLister(): NftLoader | null
}

/**
 * The request's own `ip` session and early `nft` (both fed by run/command-runner.ts). The facts
 * verbs need ip, a start nft too: warm ones when the service has them, else started now. A stop
 * takes warm ones only (its `ip link del` and `nft delete table` then start no program). Started
 * now they would delay the stop: its slowest part is the kernel deleting the bridge, which should
 * begin as soon as the journal is read; the nft programs it needs start while the kernel works.
 */
function earlyPrograms(
  verb: HelperVerb,
  warm: WarmPrograms | undefined
): { session: IpSession | null; nft: NftLoader | null; lister: NftLoader | null } {
  // A stop deletes its tables with one nft, checking each table's owner with the other first.
  if (verb === 'stop') {
    return {
      session: warm?.takeIpSession() ?? null,
      nft: warm?.takeNft() ?? null,
      lister: warm?.takeLister() ?? null
    }
  }
  const session = FACT_VERBS.has(verb) ? (warm?.takeIpSession() ?? openIpSession()) : null
  const nft = verb === 'start' || verb === 'apply' ? (warm?.takeNft() ?? prestartNft()) : null
  return { session, nft, lister: null }
}

/**
 * The live host's addresses and routes. With the request's ip session, the three reads are queued
 * on it at once (before any module loads), one line each; if that fails, read-host-facts runs them
 * as programs.
 */
async function liveHostFacts(session: IpSession | null): Promise<HostFacts> {
  const early = session?.query(FACTS_BATCH)
  early?.catch(() => undefined)
  const [{ readLiveHostFacts }, { parseHostFacts }] = await Promise.all([
    import('../host/read-host-facts'),
    import('../core/host/parse-host-facts')
  ])
  const raw = await readLiveHostFacts({
    exec: async (file, args, input) => {
      if (early && input === `${FACTS_BATCH.join('\n')}\n`) return `${(await early).join('\n')}\n`
      return (await execProgram([file, ...args], input === undefined ? {} : { input })).stdout
    }
  })
  return parseHostFacts(raw, 'the live host')
}

/**
 * The store root this request acts on: none (the system store), the resolved `--root` of a root
 * caller, or, for a normal user reading with their own rights, the path as given.
 */
function storeRootOf(root: string | undefined, caller: Caller): string | undefined {
  if (root === undefined) return undefined
  return isTrusted(caller) ? resolveTestRoot(root) : root
}

/** A store file that is a link, a FIFO or too large is the store's problem, said as such (not INTERNAL). */
function storeError(e: unknown): unknown {
  if (!(e instanceof UnsafePathError)) return e
  return new HelperError('STORE', `refusing a file in the store: ${e.message}`, {
    fix: 'remove or replace that file (guestnet never follows links or reads special files there)'
  })
}

const NOTED: ReadonlySet<HelperVerb> = new Set(['start', 'stop', 'apply'])

/** The built-ins' notes (a sysctl another network still needs) in the values that carry them. */
function withNotes<V extends HelperVerb>(verb: V, value: HelperValue<V>, notes: readonly string[]): HelperValue<V> {
  if (notes.length === 0 || !NOTED.has(verb)) return value
  return { ...value, notes: [...notes] }
}

export async function runRequest<V extends HelperVerb>(
  req: Extract<HelperRequest, { verb: V }>,
  opts: RunOptions
): Promise<HelperResult<V>> {
  let session: IpSession | null = null
  let nft: NftLoader | null = null
  let lister: NftLoader | null = null
  try {
    const refusal = callerRefusal(req, opts.caller, opts.switches)
    if (refusal) throw refusal
    const args: { root?: string; netns?: string } = req.args
    // Never act anywhere but inside the requested namespace (or, without one, where we are).
    assertInNetns(args.netns)
    const root = storeRootOf(args.root, opts.caller)
    const readOnly = isReadOnly(req)
    const paths = helperPaths(root, args.netns)
    if (!readOnly && actsAsRoot(opts.caller)) {
      ensureOwnDirs(root ?? '/', paths.plan.runtimeDir)
      ensureOwnDirs(root ?? '/', paths.plan.stateDir)
    }
    // One ip process for the facts and the plan's ip batches (run/ip-session.ts), started now: the
    // facts are read while the modules load.
    const early = earlyPrograms(req.verb, opts.warm)
    session = early.session
    nft = early.nft
    lister = early.lister
    const notes: string[] = []
    const deps = realDeps({
      note: (line) => notes.push(line),
      paths,
      root: root ?? null,
      netns: args.netns ?? null,
      emit: opts.emit,
      shouldStop: opts.shouldStop,
      ipSession: session,
      nft,
      lister,
      faults: isTrusted(opts.caller)
    })
    let facts: Promise<HostFacts> | undefined = FACT_VERBS.has(req.verb) ? liveHostFacts(session) : undefined
    facts?.catch(() => undefined)
    let store: Promise<NetworkStore> | undefined
    const verb = await VERBS[req.verb]()
    const ctx: VerbContext<V> = {
      args: (root === undefined ? req.args : { ...req.args, root }) as VerbContext<V>['args'],
      caller: opts.caller,
      deps,
      store: () =>
        (store ??= import('../store/network-store').then(
          ({ NetworkStore }) => new NetworkStore(root === undefined ? {} : { root })
        )),
      hostFacts: () => (facts ??= liveHostFacts(null))
    }
    const value: HelperValue<V> = readOnly ? await verb.run(ctx) : await withLock(paths.lockFile, () => verb.run(ctx))
    return { ok: true, value: withNotes(req.verb, value, notes) }
  } catch (e) {
    return { ok: false, error: errorBody(storeError(e)) }
  } finally {
    session?.close()
    nft?.discard()
    lister?.discard()
  }
}
