/**
 * The helper as a process of its own: the request on its stdin, its events and result read back
 * from stdout (event-stream.ts). A helper that ends without a result is told by its exit code (pkexec's
 * 126 and 127 mean the prompt was dismissed, or polkit said no).
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process'
import { spawn as nodeSpawn } from 'node:child_process'

import type { HelperVerb, RequestOf } from '../contract/helper-protocol'
import type { CallOptions } from './call-options'
import type { ClientResult } from './client-result'
import { EventStream } from './event-stream'
import type { Elevation, Launch } from './launch'
import { PKEXEC_DISMISSED, PKEXEC_NOT_AUTHORISED } from './launch'

export type SpawnFn = (file: string, args: readonly string[], opts: SpawnOptions) => ChildProcess

/** What a helper that ended without a result means, from its exit code. */
export function outcomeWithoutResult<V extends HelperVerb>(
  via: Elevation,
  code: number | null,
  stderr: string
): ClientResult<V> {
  if (via === 'pkexec' && code === PKEXEC_DISMISSED) {
    return {
      ok: false,
      error: { code: 'CANCELLED', message: 'the password prompt was dismissed: nothing was changed' }
    }
  }
  if (via === 'pkexec' && code === PKEXEC_NOT_AUTHORISED) {
    return {
      ok: false,
      error: {
        code: 'NOT_AUTHORISED',
        message: 'not authorised to change the network configuration',
        fix: 'polkit refused, or no authentication agent runs in this session (GNOME and KDE start one; other desktops need e.g. lxpolkit)'
      }
    }
  }
  const detail = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500)
  return {
    ok: false,
    error: {
      code: 'HELPER_FAILED',
      message: `the helper ended (exit ${code ?? 'by signal'}) without an answer${detail ? `: ${detail}` : ''}`
    }
  }
}

export function spawnHelper<V extends HelperVerb>(
  launch: Launch,
  req: RequestOf<V>,
  opts: CallOptions & { spawn?: SpawnFn } = {}
): Promise<ClientResult<V>> {
  const spawn = opts.spawn ?? nodeSpawn
  return new Promise((resolve) => {
    const child = spawn(launch.argv[0], launch.argv.slice(1), {
      shell: false,
      cwd: '/',
      env: launch.env,
      stdio: ['pipe', 'pipe', 'pipe']
    })
    const stream = new EventStream(req.verb as V, opts.onEvent)
    let stderr = ''
    let signalled = false
    const poll = opts.shouldStop
      ? setInterval(() => {
          if (!signalled && opts.shouldStop?.()) {
            signalled = true
            child.kill('SIGTERM')
          }
        }, 50)
      : null
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => stream.push(chunk))
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000)
    })
    child.stdin?.on('error', () => undefined)
    child.stdin?.end(`${JSON.stringify(req)}\n`)
    child.once('error', (err) => {
      if (poll) clearInterval(poll)
      resolve({ ok: false, error: { code: 'HELPER_FAILED', message: `cannot run ${launch.argv[0]}: ${err.message}` } })
    })
    child.once('close', (code) => {
      if (poll) clearInterval(poll)
      resolve(stream.end() ?? outcomeWithoutResult(launch.via, code, stderr))
    })
  })
}
