/**
 * How the CLI sends a request: to the warm service when one answers for this store in this namespace
 * (service-transport.ts); else, with `--netns`, to a helper started inside that namespace
 * (`ip netns exec`, root only); else in this very process (helper/in-process.ts: as root it acts, as
 * a normal user it reads with the user's own rights or says what to run instead). The helper's code
 * is loaded only in the last case, so a command the service answers pays for the client alone.
 */
import { existsSync, realpathSync } from 'node:fs'
import { join } from 'node:path'

import type { HelperVerb, RequestOf } from '../contract/helper-protocol'
import { helperPaths } from '../core/store/helper-paths'
import { nsIdentity } from '../host/ns-identity'
import type { CallOptions } from './call-options'
import type { ClientResult } from './client-result'
import { callService } from './service-transport'
import { spawnHelper } from './spawn-helper'

/** `out/main/helper.js`, next to the CLI bundle (chunks live one level down). */
export function helperScriptPath(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd()
  const candidates = [join(here, 'helper.js'), join(here, '..', 'helper.js')]
  return candidates.find((c) => existsSync(c)) ?? candidates[0]
}

function realRoot(root: string): string {
  try {
    return realpathSync(root)
  } catch {
    return root
  }
}

/** The test switches a root caller's CLI hands on to a helper it starts. */
const PASSED_ENV = ['GUESTNET_HELPER_FAULT', 'GUESTNET_TIMING'] as const

function passedEnv(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of PASSED_ENV) {
    const v = process.env[key]
    if (v !== undefined) out[key] = v
  }
  return out
}

/**
 * Whether to look for the service: as root, in the caller's own namespace, and not when told not to
 * (GUESTNET_SERVICE=off) or with the fault switch set, which only a helper the CLI starts would see.
 */
export function serviceWanted(args: { netns?: string }, uid: number): boolean {
  return (
    uid === 0 &&
    args.netns === undefined &&
    process.env.GUESTNET_SERVICE !== 'off' &&
    process.env.GUESTNET_HELPER_FAULT === undefined
  )
}

export async function sendRequest<V extends HelperVerb>(
  req: RequestOf<V>,
  opts: CallOptions = {}
): Promise<ClientResult<V>> {
  const uid = process.getuid?.() ?? 0
  const args: { root?: string; netns?: string } = req.args
  if (serviceWanted(args, uid)) {
    // The service names its root resolved (store/store-root.ts): so does the request to it.
    const root = args.root === undefined ? undefined : realRoot(args.root)
    const target = {
      socketPath: helperPaths(root, undefined).serviceSocket,
      nsId: nsIdentity('/proc/self/ns/net'),
      root: root ?? null
    }
    const sent = root === undefined ? req : ({ ...req, args: { ...req.args, root } } as RequestOf<V>)
    // No socket, no service: a connect attempt would cost a few milliseconds of an event-loop turn.
    const viaService = existsSync(target.socketPath) ? await callService(target, sent, opts) : null
    if (viaService !== null) return viaService
  }
  if (args.netns !== undefined) {
    if (uid !== 0) return { ok: false, error: { code: 'NOT_ROOT', message: 'entering a network namespace needs root' } }
    const argv = ['ip', 'netns', 'exec', args.netns, process.execPath, helperScriptPath()]
    const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LC_ALL: 'C', ...passedEnv() }
    return spawnHelper({ argv, env, via: 'direct' }, req, opts)
  }
  const { runInProcess } = await import('../helper/in-process')
  return runInProcess(req, opts)
}
