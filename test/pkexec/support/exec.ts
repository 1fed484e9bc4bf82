/**
 * Runs the system commands this suite needs outside a network namespace (useradd, install steps,
 * pkaction, pkcheck, nsenter, mount): argv arrays only, never a shell, with a bounded time.
 * Synchronous, so the same code serves the tests, afterAll and the process 'exit' backstop.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

export interface SyncResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface SyncOptions {
  input?: string
  timeoutMs?: number
  /** Return a failed result instead of throwing. */
  allowFail?: boolean
}

/** The environment a system command gets: nothing of the test runner's but a plain PATH. */
export const PLAIN_ENV: Record<string, string> = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LC_ALL: 'C' }

export function runSync(argv: readonly string[], opts: SyncOptions = {}): SyncResult {
  const r = spawnSync(argv[0], argv.slice(1), {
    encoding: 'utf8',
    input: opts.input,
    env: PLAIN_ENV,
    cwd: '/',
    timeout: opts.timeoutMs ?? 15_000,
    stdio: ['pipe', 'pipe', 'pipe']
  })
  const result = { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' }
  if (!opts.allowFail && (r.error || r.status !== 0)) {
    const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit ${String(r.status)}`
    const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join('\n')
    throw new Error(`'${argv.join(' ')}' failed (${why})${detail ? `: ${detail}` : ''}`)
  }
  return result
}

/** A process's state letter and start time (clock ticks since boot, as polkit reads it), or null when gone. */
export function procStat(pid: number): { state: string; startTime: string } | null {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  // Fields after the command name (which may hold spaces and parentheses): state is the 3rd, starttime the 22nd.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return { state: rest[0], startTime: rest[19] }
}

/** True when a process with this pid exists and is not a zombie waiting to be reaped. */
export function alive(pid: number): boolean {
  const stat = procStat(pid)
  return stat !== null && stat.state !== 'Z'
}

/** Blocks for `ms` milliseconds (cleanup code that must stay synchronous polls with it). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}
