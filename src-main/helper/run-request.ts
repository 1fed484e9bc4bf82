/**
 * Runs one checked request in this process: the namespace guard, the root checks, the verb (each
 * loaded on demand), the lock for verbs that change anything. Used by the helper's own entry
 * (main.ts) and, when the CLI already runs as root, by the CLI directly (no second node).
 */
import type { HostFacts } from '../core/model/host-facts'
import type { NetworkStore } from '../store/network-store'
import { assertInNetns } from './netns'
import { realDeps } from './ops/real-deps'
import { checkRootDir } from './policy'
import type { HelperErrorBody, HelperRequest, HelperVerb, StepEvent } from './protocol'
import { errorBody, HelperError } from './protocol'
import { execProgram } from './run/exec-program'
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
  'restore-default': () => import('./verbs/restore-default')
}

/** Verbs that need the live host's addresses and routes. */
const FACT_VERBS: ReadonlySet<HelperVerb> = new Set(['start', 'autostart-all', 'define', 'restore-default'])

/** Verbs that read only: they run without root (with less detail) and without the lock. */
export const READ_ONLY_VERBS: ReadonlySet<HelperVerb> = new Set(['status', 'leases'])

export type RunResult = { ok: true; value: unknown } | { ok: false; error: HelperErrorBody }

export interface RunOptions {
  emit(event: StepEvent): void
  /** True once SIGTERM/SIGINT arrived: the transaction stops before its next step and rolls back. */
  shouldStop(): boolean
  /** Effective uid; default process.getuid(). */
  uid?: number
}

async function liveHostFacts(): Promise<HostFacts> {
  const [{ readLiveHostFacts }, { parseHostFacts }] = await Promise.all([import('../host/read-host-facts'), import('../core/host/parse-host-facts')])
  const raw = await readLiveHostFacts({ exec: async (file, args) => (await execProgram([file, ...args])).stdout })
  return parseHostFacts(raw, 'the live host')
}

export async function runRequest(req: HelperRequest, opts: RunOptions): Promise<RunResult> {
  try {
    const { root, netns } = req.args
    // Never act anywhere but inside the requested namespace (or, without one, where we are).
    assertInNetns(netns)
    const uid = opts.uid ?? process.getuid?.() ?? 0
    const readOnly = READ_ONLY_VERBS.has(req.verb)
    if (uid !== 0 && !readOnly) {
      throw new HelperError('NOT_ROOT', `'${req.verb}' changes the system and needs root`, { fix: 'run it as root (sudo, or pkexec for the desktop app)' })
    }
    if (root !== undefined && !readOnly) checkRootDir(root)
    const paths = helperPaths(root, netns)
    const deps = realDeps({ paths, netns: netns ?? null, emit: opts.emit, shouldStop: opts.shouldStop })
    // Start reading the host's facts now: the ip processes run while the modules load.
    let facts: Promise<HostFacts> | undefined = FACT_VERBS.has(req.verb) ? liveHostFacts() : undefined
    facts?.catch(() => undefined)
    let store: Promise<NetworkStore> | undefined
    const verb = await VERBS[req.verb]()
    const ctx: VerbContext = {
      args: req.args,
      deps,
      store: () => (store ??= import('../store/network-store').then(({ NetworkStore }) => new NetworkStore(root === undefined ? {} : { root }))),
      hostFacts: () => (facts ??= liveHostFacts())
    }
    const value = readOnly ? await verb.run(ctx) : await withLock(paths.lockFile, () => verb.run(ctx))
    return { ok: true, value }
  } catch (e) {
    return { ok: false, error: errorBody(e) }
  }
}

/** A verb that ran but reports failures inside its value (autostart-all, reconcile). */
export function partialFailure(value: unknown): boolean {
  const failed = (value as { failed?: unknown } | null)?.failed
  return (typeof failed === 'number' && failed > 0) || (Array.isArray(failed) && failed.length > 0)
}
