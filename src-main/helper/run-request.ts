/**
 * Runs one checked request in this process: the namespace guard, the root checks, the verb (each
 * loaded on demand), the lock for verbs that change anything. Used by the helper's own entry
 * (main.ts) and, when the CLI already runs as root, by the CLI directly (no second node).
 */
import type { HostFacts } from '../core/model/host-facts'
import { FACTS_BATCH } from '../host/read-host-facts'
import type { NetworkStore } from '../store/network-store'
import { assertInNetns } from './netns'
import { realDeps } from './ops/real-deps'
import { checkRootDir } from './policy'
import type { HelperErrorBody, HelperRequest, HelperVerb, StepEvent } from './protocol'
import { errorBody, HelperError, READ_ONLY_VERBS } from './protocol'
import { execProgram } from './run/exec-program'
import type { IpSession } from './run/ip-session'
import { openIpSession } from './run/ip-session'
import type { NftLoader } from './run/nft-loader'
import { prestartNft } from './run/nft-loader'
import { helperPaths } from './state/helper-paths'
import { withLock } from './state/lock'
import type { VerbContext, VerbRun } from './verbs/context'

const VERBS: Record<HelperVerb, () => Promise<{ run: VerbRun }>> = {
  define: () => import('./verbs/define'),
  undefine: () => import('./verbs/undefine'),
  start: () => import('./verbs/start'),
  stop: () => import('./verbs/stop'),
  autostart: () => import('./verbs/autostart'),
  'autostart-all': () => import('./verbs/autostart-all'),
  status: () => import('./verbs/status'),
  leases: () => import('./verbs/leases'),
  reconcile: () => import('./verbs/reconcile'),
  'restore-default': () => import('./verbs/restore-default'),
  doctor: () => import('./verbs/doctor'),
  renumber: () => import('./verbs/renumber')
}

/** Verbs that need the live host's addresses and routes. */
const FACT_VERBS: ReadonlySet<HelperVerb> = new Set(['start', 'autostart-all', 'define', 'restore-default', 'renumber'])

export type RunResult = { ok: true; value: unknown } | { ok: false; error: HelperErrorBody }

export interface RunOptions {
  emit(event: StepEvent): void
  /** True once SIGTERM/SIGINT arrived: the transaction stops before its next step and rolls back. */
  shouldStop(): boolean
  /** Effective uid; default process.getuid(). */
  uid?: number
  /**
   * Processes started before the request came (the service keeps one of each ready, service/warm-pool.ts):
   * taken instead of starting them now. Each is used by one request only, then ended.
   */
  warm?: WarmPrograms
}

export interface WarmPrograms {
  takeIpSession(): IpSession | null
  takeNft(): NftLoader | null
}

/**
 * The request's own `ip` session and early `nft` (both fed by run/command-runner.ts). The facts
 * verbs need ip, a start nft too: warm ones when the service has them, else started now. A stop
 * takes warm ones only (its `ip link del` and `nft delete table` then start no program); started
 * now they would save nothing.
 */
function earlyPrograms(
  verb: HelperVerb,
  warm: WarmPrograms | undefined
): { session: IpSession | null; nft: NftLoader | null } {
  if (verb === 'stop') return { session: warm?.takeIpSession() ?? null, nft: warm?.takeNft() ?? null }
  const session = FACT_VERBS.has(verb) ? (warm?.takeIpSession() ?? openIpSession()) : null
  const nft = verb === 'start' ? (warm?.takeNft() ?? prestartNft()) : null
  return { session, nft }
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

export async function runRequest(req: HelperRequest, opts: RunOptions): Promise<RunResult> {
  let session: IpSession | null = null
  let nft: NftLoader | null = null
  try {
    const { root, netns } = req.args
    // Never act anywhere but inside the requested namespace (or, without one, where we are).
    assertInNetns(netns)
    const uid = opts.uid ?? process.getuid?.() ?? 0
    const readOnly = READ_ONLY_VERBS.has(req.verb)
    if (uid !== 0 && !readOnly) {
      throw new HelperError('NOT_ROOT', `'${req.verb}' changes the system and needs root`, {
        fix: 'run it as root (sudo, or pkexec for the desktop app)'
      })
    }
    if (root !== undefined && !readOnly) checkRootDir(root)
    const paths = helperPaths(root, netns)
    // One ip process for the facts and the plan's ip batches (run/ip-session.ts), started now: the
    // facts are read while the modules load.
    const early = earlyPrograms(req.verb, opts.warm)
    session = early.session
    nft = early.nft
    const deps = realDeps({
      paths,
      netns: netns ?? null,
      emit: opts.emit,
      shouldStop: opts.shouldStop,
      ipSession: session,
      nft
    })
    let facts: Promise<HostFacts> | undefined = FACT_VERBS.has(req.verb) ? liveHostFacts(session) : undefined
    facts?.catch(() => undefined)
    let store: Promise<NetworkStore> | undefined
    const verb = await VERBS[req.verb]()
    const ctx: VerbContext = {
      args: req.args,
      deps,
      store: () =>
        (store ??= import('../store/network-store').then(
          ({ NetworkStore }) => new NetworkStore(root === undefined ? {} : { root })
        )),
      hostFacts: () => (facts ??= liveHostFacts(null))
    }
    const value = readOnly ? await verb.run(ctx) : await withLock(paths.lockFile, () => verb.run(ctx))
    return { ok: true, value }
  } catch (e) {
    return { ok: false, error: errorBody(e) }
  } finally {
    session?.close()
    nft?.discard()
  }
}

/** A verb that ran but reports failures inside its value (autostart-all, reconcile). */
export function partialFailure(value: unknown): boolean {
  const failed = (value as { failed?: unknown } | null)?.failed
  return (typeof failed === 'number' && failed > 0) || (Array.isArray(failed) && failed.length > 0)
}
