/**
 * How the CLI sends a request: to the warm service when one answers for this root in this
 * namespace (service/service-client.ts), else to the helper (client.ts: in this process as root,
 * through `ip netns exec` for --netns, or "run this instead" for a normal user). The helper's own
 * code is loaded only in the second case, so a command the service answers pays for one small file.
 */
import type { CallOptions } from './client'
import type { HelperRequest } from './protocol'
import type { RunResult } from './run-request'

export async function sendRequest(
  verb: HelperRequest['verb'],
  args: HelperRequest['args'],
  opts: CallOptions = {}
): Promise<RunResult> {
  const { tryService } = await import('./service/service-client')
  const viaService = await tryService({ verb, args }, opts)
  if (viaService !== null) return viaService
  const { callHelper } = await import('./client')
  return callHelper(verb, args, opts)
}
