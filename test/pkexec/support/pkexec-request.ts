/**
 * One request through real pkexec as the test user, the way the desktop app sends it: the app's argv
 * (`appPkexecLaunch()`) and environment, the JSON request on stdin, from inside the test's mount and host
 * namespaces. pkexec's parent is `timeout` running as the user (as the app would be: pkexec hands its
 * parent to polkit as the subject), which also ends a run that hangs.
 *
 * For attack cases: `raw` sends any text instead of the request, `env` adds to what the user's process
 * passes to pkexec (e.g. GUESTNET_HELPER_FAULT), `request` may name any verb and argument (`root`, `netns`).
 */
import { spawn } from 'node:child_process'

import { trackChild } from '../../netns/support/cleanup'
import { appPkexecLaunch } from './app-launch'
import type { ElevationTarget } from './as-user'
import { asUserArgv } from './as-user'

export interface PkexecCall {
  /** `{ verb, args }`; sent as one JSON line. */
  request?: { verb: string; args?: Record<string, unknown> }
  /** Text to send instead of `request`. */
  raw?: string
  /** Added to the app's environment for pkexec (pkexec itself passes almost nothing on). */
  env?: Record<string, string>
  timeoutMs?: number
}

/** One line of the helper's stdout that parsed as JSON with a `type`. */
export interface HelperLine {
  type: string
  [key: string]: unknown
}

export interface ResultLine {
  type: 'result'
  ok: boolean
  value?: unknown
  error?: { code: string; message: string; field?: string; fix?: string; [key: string]: unknown }
}

export interface PkexecOutcome {
  /** pkexec's exit code: the helper's, or pkexec's own 126/127; null when killed by a signal. */
  exitCode: number | null
  signal: NodeJS.Signals | null
  /** Every event line, the result included. */
  events: HelperLine[]
  result: ResultLine | null
  stdout: string
  stderr: string
  ms: number
}

function parseLine(line: string): HelperLine | null {
  try {
    const value = JSON.parse(line) as unknown
    if (typeof value === 'object' && value !== null && typeof (value as HelperLine).type === 'string') {
      return value as HelperLine
    }
  } catch {
    // not JSON: kept in stdout only
  }
  return null
}

/** `timeout` as the user, around pkexec: ends the run (exit 124) after `ms`. */
export function userParent(ms: number): string[] {
  return ['timeout', '--kill-after=5', `${Math.ceil(ms / 1000)}`]
}

export function pkexecRequest(t: ElevationTarget, call: PkexecCall): Promise<PkexecOutcome> {
  const launch = appPkexecLaunch()
  const argv = asUserArgv(t, [...userParent(call.timeoutMs ?? 30_000), ...launch.argv])
  const input = call.raw ?? `${JSON.stringify(call.request ?? {})}\n`
  const started = performance.now()
  const child = trackChild(
    spawn(argv[0], argv.slice(1), { cwd: '/', env: { ...launch.env, ...call.env }, stdio: ['pipe', 'pipe', 'pipe'] })
  )
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  child.stdin?.on('error', () => undefined)
  child.stdin?.end(input)
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => {
      const events = stdout
        .split('\n')
        .map((line) => parseLine(line.trim()))
        .filter((e): e is HelperLine => e !== null)
      const result = (events.find((e) => e.type === 'result') as ResultLine | undefined) ?? null
      resolve({ exitCode: code, signal, events, result, stdout, stderr, ms: performance.now() - started })
    })
  })
}

/** The value of a successful result; otherwise throws with everything pkexec and the helper said. */
export function okValue(out: PkexecOutcome): Record<string, unknown> {
  if (out.result?.ok === true && typeof out.result.value === 'object' && out.result.value !== null) {
    return out.result.value as Record<string, unknown>
  }
  const said = out.result ? JSON.stringify(out.result.error ?? out.result) : 'no result'
  const stderr = out.stderr.trim().split('\n').slice(-5).join('\n')
  throw new Error(`through pkexec: exit ${String(out.exitCode)}, ${said}${stderr ? `; stderr: ${stderr}` : ''}`)
}
