/**
 * An `nft -f -` started early in a start request (while the helper still loads its code and reads
 * the host), fed the network's ruleset when the firewall step runs. nft spends a good part of its
 * time starting (loading its libraries) before it reads anything; that now overlaps other work
 * instead of sitting between the generated files and the firewall. The ruleset is one write and
 * then end of input, and nft applies a file as one transaction: it gets the whole ruleset or,
 * if the helper dies first, an empty input (a no-op). Used at most once; a loader never fed is
 * given an empty input at the end of the request.
 */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'

import { CommandError } from './exec-program'
import { resolveProgram } from './programs'
import { childEnv } from './safe-env'

/** Well below a pipe's capacity: the ruleset reaches nft in one write, never cut. */
export const MAX_PRESTARTED_RULESET = 60 * 1024
const TIMEOUT_MS = 30_000

/** Pure: nft's `/dev/stdin:LINE:COL` told as the ruleset file it came from. */
export function relabelStdin(stderr: string, file: string): string {
  return stderr.replaceAll('/dev/stdin:', `${file}:`)
}

export class NftLoader {
  private readonly child: ChildProcess
  private stderr = ''
  private stdout = ''
  private used = false
  private ended = false
  private readonly exited: Promise<{ code: number | null; error?: string }>

  constructor() {
    // -a: a listing fed to it (a table's owner check, run/builtins.ts) shows the handles.
    this.child = spawn(resolveProgram('nft'), ['-a', '-f', '-'], {
      shell: false,
      env: childEnv(),
      cwd: '/',
      stdio: ['pipe', 'pipe', 'pipe']
    })
    this.child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      if (this.stdout.length < 1024 * 1024) this.stdout += d
    })
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      if (this.stderr.length < 64 * 1024) this.stderr += d
    })
    this.child.stdin?.on('error', () => undefined)
    this.exited = new Promise((resolve) => {
      this.child.once('error', (e) => resolve({ code: null, error: e.message }))
      this.child.once('close', (code) => resolve({ code }))
    })
    void this.exited.then(() => {
      this.ended = true
    })
  }

  /** Not fed yet and still running (a warm spare may have been killed meanwhile). */
  get alive(): boolean {
    return !this.used && !this.ended
  }

  /** Not fed yet, and the ruleset fits in one write. */
  canLoad(text: string): boolean {
    return !this.used && Buffer.byteLength(text) <= MAX_PRESTARTED_RULESET
  }

  /** Feeds the ruleset (or commands) of `file` and waits for nft; rejects like `nft -f FILE` would; resolves with what it printed. */
  async load(text: string, file: string): Promise<string> {
    this.used = true
    const timer = setTimeout(() => this.child.kill('SIGKILL'), TIMEOUT_MS)
    timer.unref()
    this.child.stdin?.end(text)
    const { code, error } = await this.exited
    clearTimeout(timer)
    if (code !== 0)
      throw new CommandError(
        ['nft', '-f', file],
        code,
        relabelStdin(this.stderr, file),
        error ?? (code === null ? 'killed' : undefined)
      )
    return this.stdout
  }

  /** An empty input: nft exits without changing anything. */
  discard(): void {
    if (this.used) return
    this.used = true
    this.child.stdin?.end()
  }
}

/** A loader, or null when nft cannot be started now (the firewall step then runs nft itself). */
export function prestartNft(): NftLoader | null {
  try {
    return new NftLoader()
  } catch {
    return null
  }
}
