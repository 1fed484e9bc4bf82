/**
 * The helper's one door for callers in this package (helper-client/cli-transport.ts): a root CLI runs
 * a request in its own process instead of starting a second node; a normal user's CLI reads with its
 * own rights (changing verbs are refused with NOT_ROOT and the command to run instead). The answer is
 * checked against the protocol exactly as a spawned helper's would be.
 */
import type { HelperVerb, RequestOf, StepEvent } from '../contract/helper-protocol'
import { checkValue, HelperError } from '../contract/helper-protocol'
import { callerOfProcess, TEST_SWITCHES } from './caller'
import { parseRequest } from './parse-request'
import { checkNetworkName } from './policy'
import { runRequest } from './run-request'

export interface InProcessOptions {
  onEvent?: (event: StepEvent) => void
  shouldStop?: () => boolean
}

/** The test switches set in an environment. */
export function switchesIn(env: NodeJS.ProcessEnv): string[] {
  return TEST_SWITCHES.filter((k) => env[k] !== undefined)
}

export async function runInProcess<V extends HelperVerb>(
  req: RequestOf<V>,
  opts: InProcessOptions = {}
): Promise<ReturnType<typeof checkValue<V>>> {
  let checked: RequestOf<V>
  let caller
  try {
    // The same checks a request on stdin gets: a caller of this function is not trusted further.
    checked = parseRequest(JSON.stringify(req), checkNetworkName) as RequestOf<V>
    caller = callerOfProcess(process.getuid?.() ?? 0, process.env.PKEXEC_UID)
  } catch (e) {
    if (e instanceof HelperError) return { ok: false, error: e.toBody() }
    throw e
  }
  const r = await runRequest(checked, {
    caller,
    switches: switchesIn(process.env),
    emit: (e) => opts.onEvent?.(e),
    shouldStop: opts.shouldStop ?? (() => false)
  })
  return r.ok ? checkValue(req.verb as V, r.value) : r
}
