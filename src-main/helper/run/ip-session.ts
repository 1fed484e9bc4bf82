/**
 * One `ip -j -batch -` process for a whole request, fed on its stdin: the host facts (three show
 * commands) and every `ip -batch FILE` of the plan go through it instead of a new `ip` each time.
 * Starting a program from node costs a fork of the whole node process (several milliseconds here);
 * a start needed three `ip` processes, now one. ip runs batch lines in order, prints each show
 * command's JSON on its own line as soon as it ran, and stops at the first failing line (exit 1,
 * `Command failed -:N` on stderr). So a batch file is followed by a marker (`link show dev lo`):
 * its line says every command before it succeeded. The process exits when its stdin is closed
 * (close(), or the helper dying). Argv only, the helper's own environment, like every program.
 */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'

import { CommandError } from './exec-program'
import { resolveProgram } from './programs'
import { childEnv } from './safe-env'

const MARKER = 'link show dev lo'
const DEFAULT_TIMEOUT_MS = 30_000

interface Pending {
  /** Lines still wanted; a batch waits for its marker instead (-1). */
  want: number
  lines: string[]
  /** The command shown in errors, and where its lines begin in the session (for `-:N`). */
  argv: string[]
  firstLine: number
  lineCount: number
  resolve(lines: string[]): void
  reject(error: Error): void
  timer: NodeJS.Timeout
}

/** Pure: does this output line come from the marker (`link show dev lo`)? */
export function isMarkerLine(line: string): boolean {
  try {
    const v = JSON.parse(line) as unknown
    return Array.isArray(v) && v.length === 1 && (v[0] as { ifname?: unknown } | null)?.ifname === 'lo'
  } catch {
    return false
  }
}

/** Pure: ip's `Command failed -:N` told as `FILE:M`, the line of the request's own text. */
export function relabelFailure(stderr: string, shown: string, firstLine: number, lineCount: number): string {
  return stderr.replace(/Command failed -:(\d+)/g, (all, n: string) => {
    const m = Number(n) - firstLine + 1
    return m >= 1 && m <= lineCount ? `Command failed ${shown}:${m}` : all
  })
}

export class IpSession {
  private readonly child: ChildProcess
  private readonly queue: Pending[] = []
  private buffer = ''
  private stderr = ''
  private linesSent = 0
  private ended = false
  private closed = false

  constructor(private readonly timeoutMs = DEFAULT_TIMEOUT_MS) {
    this.child = spawn(resolveProgram('ip'), ['-j', '-batch', '-'], {
      shell: false,
      env: childEnv(),
      cwd: '/',
      stdio: ['pipe', 'pipe', 'pipe']
    })
    this.child.stdout?.setEncoding('utf8').on('data', (d: string) => this.onStdout(d))
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      if (this.stderr.length < 64 * 1024) this.stderr += d
    })
    // A write after ip died: its exit (below) reports the failure.
    this.child.stdin?.on('error', () => undefined)
    this.child.once('error', (e) => this.finish(null, e.message))
    this.child.once('close', (code) => this.finish(code, undefined))
  }

  /** Still accepting commands. */
  get alive(): boolean {
    return !this.ended && !this.closed
  }

  /** Show commands that print one JSON line each; resolves to those lines, in order. */
  query(commands: readonly string[]): Promise<string[]> {
    return this.send(commands, commands.length, ['ip', '-j', '-batch', '-'])
  }

  /**
   * The text of a batch file of commands that print nothing (the plan's link add, address add, link
   * set: never a show command, whose output would pass for the marker); resolves once every line
   * succeeded.
   */
  async runBatch(text: string, file: string): Promise<void> {
    // Sent as they are, blank lines too, so ip's line numbers are the file's.
    const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n')
    await this.send([...lines, MARKER], -1, ['ip', '-batch', file])
  }

  /**
   * Ends ip (it exits at the end of its input; commands already sent still run). Also what makes the
   * session safe: ip caches interface names and indexes, so a session must not outlive a link change
   * it did not make itself (the runner closes it before any other `ip` command).
   */
  close(): void {
    if (this.closed) return
    this.closed = true
    if (!this.ended) this.child.stdin?.end()
  }

  private send(commands: readonly string[], want: number, argv: string[]): Promise<string[]> {
    if (!this.alive) return Promise.reject(new CommandError(argv, null, this.stderr, 'the ip session has ended'))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), this.timeoutMs)
      timer.unref()
      this.queue.push({
        want,
        lines: [],
        argv,
        firstLine: this.linesSent + 1,
        lineCount: commands.length,
        resolve,
        reject,
        timer
      })
      this.linesSent += commands.length
      this.child.stdin?.write(`${commands.join('\n')}\n`)
    })
  }

  private onStdout(chunk: string): void {
    this.buffer += chunk
    let nl: number
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl)
      this.buffer = this.buffer.slice(nl + 1)
      const head = this.queue[0]
      if (!head || line.trim() === '') continue
      if (head.want < 0) {
        if (!isMarkerLine(line)) continue
      } else {
        head.lines.push(line)
        if (head.lines.length < head.want) continue
      }
      this.queue.shift()
      clearTimeout(head.timer)
      head.resolve(head.lines)
    }
  }

  private finish(code: number | null, why: string | undefined): void {
    this.ended = true
    for (const p of this.queue.splice(0)) {
      clearTimeout(p.timer)
      const stderr = relabelFailure(this.stderr, p.argv[p.argv.length - 1], p.firstLine, p.lineCount)
      p.reject(
        new CommandError(
          p.argv,
          code,
          stderr,
          why ?? (code === null ? 'killed' : code === 0 ? 'ended before answering' : undefined)
        )
      )
    }
  }
}

/** A session, or null when ip cannot be started (the caller then runs programs one by one). */
export function openIpSession(): IpSession | null {
  try {
    return new IpSession()
  } catch {
    return null
  }
}
