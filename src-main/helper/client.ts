/**
 * How the CLI (and other callers in this package) talk to the helper. As root with no namespace:
 * the helper's code runs in this process (no second node start). As root with `--netns`: the
 * helper runs under `ip netns exec` and its events are read back. As a normal user: nothing runs;
 * the caller is told what to run instead (NOT_ROOT), except for read-only verbs.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'

import { reexecInNetns } from './netns'
import { parseEventLines } from './parse-events'
import { parseRequest } from './parse-request'
import { checkNetworkName } from './policy'
import type { HelperErrorBody, HelperRequest, StepEvent } from './protocol'
import { HelperError, READ_ONLY_VERBS } from './protocol'
import type { RunResult } from './run-request'

export interface CallOptions {
  onEvent?: (event: StepEvent) => void
  /** Effective uid; default process.getuid(). */
  uid?: number
  /** Polled between steps: true rolls the transaction back (the CLI sets it on SIGINT/SIGTERM). */
  shouldStop?: () => boolean
}

/** `out/main/helper.js`, next to the CLI bundle (chunks live one level down). */
export function helperScriptPath(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd()
  const candidates = [join(here, 'helper.js'), join(here, '..', 'helper.js')]
  return candidates.find((c) => existsSync(c)) ?? candidates[0]
}

function spawnInNetns(req: HelperRequest, netns: string, opts: CallOptions): Promise<RunResult> {
  let buffer = ''
  let result: RunResult | null = null
  const take = (line: string): void => {
    const parsed = parseEventLines(line)
    for (const e of parsed.events) if (e.type !== 'result') opts.onEvent?.(e)
    if (parsed.result) result = parsed.result
  }
  const handle = reexecInNetns({
    netns,
    helperScript: helperScriptPath(),
    requestLine: JSON.stringify(req),
    onStdout: (chunk) => {
      buffer += chunk
      let nl
      while ((nl = buffer.indexOf('\n')) >= 0) {
        take(buffer.slice(0, nl))
        buffer = buffer.slice(nl + 1)
      }
    }
  })
  const forward = (sig: NodeJS.Signals): void => handle.signal(sig)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  return handle.done.then((code) => {
    process.off('SIGINT', forward)
    process.off('SIGTERM', forward)
    if (buffer) take(buffer)
    const error: HelperErrorBody = { code: 'INTERNAL', message: `the helper exited with code ${code} without a result` }
    return result ?? { ok: false, error }
  })
}

export async function callHelper(
  verb: HelperRequest['verb'],
  args: HelperRequest['args'],
  opts: CallOptions = {}
): Promise<RunResult> {
  let req: HelperRequest
  try {
    req = parseRequest(JSON.stringify({ verb, args }), checkNetworkName)
  } catch (e) {
    if (e instanceof HelperError) return { ok: false, error: e.toBody() }
    throw e
  }
  const uid = opts.uid ?? process.getuid?.() ?? 0
  const readOnly = READ_ONLY_VERBS.has(verb)
  if (uid !== 0 && (!readOnly || args.netns !== undefined)) {
    return {
      ok: false,
      error: {
        code: 'NOT_ROOT',
        message: `needs root${readOnly ? ' to enter a network namespace' : ': it changes the system'}`
      }
    }
  }
  if (args.netns !== undefined) return spawnInNetns(req, args.netns, opts)
  const { runRequest } = await import('./run-request')
  return runRequest(req, { emit: (e) => opts.onEvent?.(e), shouldStop: opts.shouldStop ?? (() => false), uid })
}
