/**
 * Runs a program with an argv array (never a shell), the allow-listed environment and a timeout.
 * Resolves when it exits 0; otherwise rejects with its stderr in the message.
 */
import { spawn } from 'node:child_process'

import type { Argv } from '../../core/model/plan'
import type { ProgramRunner } from './builtins'
import { resolveProgram } from './programs'
import { childEnv } from './safe-env'

const MAX_CAPTURE = 64 * 1024
const DEFAULT_TIMEOUT_MS = 30_000

export class CommandError extends Error {
  readonly argv: Argv
  readonly exitCode: number | null
  readonly stderr: string

  constructor(argv: Argv, exitCode: number | null, stderr: string, why?: string) {
    const detail = stderr.trim().split('\n').filter(Boolean).slice(-3).join('; ')
    const status = why ?? (exitCode === null ? 'killed' : `exit ${exitCode}`)
    super(`${argv.join(' ')} failed (${status})${detail ? `: ${detail}` : ''}`)
    this.name = 'CommandError'
    this.argv = argv
    this.exitCode = exitCode
    this.stderr = stderr
  }
}

export interface ExecResult {
  stdout: string
  stderr: string
}

export function execProgram(argv: Argv, opts: { timeoutMs?: number; input?: string } = {}): Promise<ExecResult> {
  const [name, ...args] = argv
  const path = resolveProgram(name)
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, {
      shell: false,
      env: childEnv(),
      cwd: '/',
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < MAX_CAPTURE * 16) stdout += d
    })
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < MAX_CAPTURE) stderr += d
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    let timedOut = false
    timer.unref()
    child.once('error', (e) => {
      clearTimeout(timer)
      reject(new CommandError(argv, null, '', e.message))
    })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      timedOut = signal === 'SIGKILL'
      if (code === 0) resolve({ stdout, stderr })
      else reject(new CommandError(argv, code, stderr, timedOut ? 'timed out' : undefined))
    })
    // A program may exit without reading its input: its exit status tells, not EPIPE.
    child.stdin?.on('error', () => undefined)
    if (opts.input !== undefined) child.stdin?.end(opts.input)
  })
}

/** Programs run as they are, for questions asked outside a plan (firewalld's zones, say). */
export const SYSTEM_PROGRAMS: ProgramRunner = {
  run: async (argv) => {
    await execProgram(argv)
  },
  output: async (argv) => (await execProgram(argv)).stdout
}
