/**
 * Runs guarded commands: every argv passes `namespacedArgvProblem` first, so nothing the sandbox or the
 * namespace tests run can reach the machine's own network namespace. Argv arrays only, never a shell.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process'
import { execFile, spawn } from 'node:child_process'

import type { NamespaceOwner } from './ns-guard'
import { namespacedArgvProblem } from './ns-guard'

export interface RunResult {
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
  /** Wall-clock time the command took, in milliseconds. */
  ms: number
}

export interface RunOptions {
  timeoutMs?: number
  /** Return a failed result instead of throwing. */
  allowFail?: boolean
  env?: NodeJS.ProcessEnv
}

export class NsCommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly result: RunResult
  ) {
    const why = result.signal ? `killed by ${result.signal}` : `exit ${String(result.code)}`
    const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join('\n')
    super(`'${argv.join(' ')}' failed (${why})${detail ? `: ${detail}` : ''}`)
  }
}

export class NsGuardError extends Error {}

export interface NsExec {
  readonly isOurs: NamespaceOwner
  run(argv: readonly string[], opts?: RunOptions): Promise<RunResult>
  /** `ip netns exec NS …argv`. */
  inNs(ns: string, argv: readonly string[], opts?: RunOptions): Promise<RunResult>
  /** `ip -n NS …args`. */
  ip(ns: string, args: readonly string[], opts?: RunOptions): Promise<RunResult>
  /** `ip -j -n NS …args`, parsed. */
  ipJson<T>(ns: string, args: readonly string[]): Promise<T>
  /** Starts a long-running program (guarded the same way); the caller owns the child. */
  spawn(argv: readonly string[], opts?: SpawnOptions): ChildProcess
}

const DEFAULT_TIMEOUT_MS = 20_000

export function guardArgv(argv: readonly string[], isOurs: NamespaceOwner): void {
  const problem = namespacedArgvProblem(argv, isOurs)
  if (problem) throw new NsGuardError(problem)
}

export function createNsExec(isOurs: NamespaceOwner): NsExec {
  const run = async (argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> => {
    guardArgv(argv, isOurs)
    const started = performance.now()
    return new Promise((resolve, reject) => {
      execFile(
        argv[0],
        argv.slice(1),
        { timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, env: opts.env ?? process.env },
        (error, stdout, stderr) => {
          const failure = error as (Error & { code?: unknown; signal?: NodeJS.Signals | null }) | null
          const code = failure ? (typeof failure.code === 'number' ? failure.code : null) : 0
          if (failure && typeof failure.code === 'string') {
            // ENOENT and friends: the program itself could not start.
            reject(new Error(`cannot run '${argv[0]}': ${failure.message}`))
            return
          }
          const result: RunResult = {
            code,
            signal: failure?.signal ?? null,
            stdout: String(stdout),
            stderr: String(stderr),
            ms: performance.now() - started
          }
          if (failure && !opts.allowFail) reject(new NsCommandError(argv, result))
          else resolve(result)
        }
      )
    })
  }
  const ip = (ns: string, args: readonly string[], opts?: RunOptions): Promise<RunResult> =>
    run(['ip', '-n', ns, ...args], opts)
  return {
    isOurs,
    run,
    ip,
    inNs: (ns, argv, opts) => run(['ip', 'netns', 'exec', ns, ...argv], opts),
    async ipJson<T>(ns: string, args: readonly string[]): Promise<T> {
      const { stdout } = await run(['ip', '-j', '-n', ns, ...args])
      return JSON.parse(stdout.trim() || '[]') as T
    },
    spawn(argv, opts = {}) {
      guardArgv(argv, isOurs)
      return spawn(argv[0], argv.slice(1), opts)
    }
  }
}
