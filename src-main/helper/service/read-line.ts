/**
 * The service's line reader: lines from a connection one at a time, each at most `limit` bytes and
 * within `timeoutMs`. Unlike the one-shot helper's stdin (read-request.ts), a socket's frame ends at
 * its newline, whatever it holds; bytes after it wait for the next read. A connection that closes,
 * errs or stays silent ends the read too (never a hang).
 */
import type { Socket } from 'node:net'

export type LineOutcome = { kind: 'line'; text: string } | { kind: 'too-large' } | { kind: 'eof' }

export class LineReader {
  private buffer = Buffer.alloc(0)
  private ended = false
  private stopped = false
  private waiter: (() => void) | null = null

  constructor(private readonly sock: Socket) {
    sock.on('data', (chunk: Buffer) => {
      if (this.stopped) return
      this.buffer = Buffer.concat([this.buffer, chunk])
      this.wake()
    })
    const end = (): void => {
      this.ended = true
      this.wake()
    }
    sock.once('end', end)
    sock.once('close', end)
    sock.once('error', end)
  }

  next(limit: number, timeoutMs: number): Promise<LineOutcome> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done({ kind: 'eof' }), timeoutMs)
      const done = (outcome: LineOutcome): void => {
        clearTimeout(timer)
        this.waiter = null
        resolve(outcome)
      }
      const look = (): void => {
        const nl = this.buffer.indexOf(10)
        if (nl >= 0 && nl <= limit) {
          const text = this.buffer.subarray(0, nl).toString('utf8')
          this.buffer = this.buffer.subarray(nl + 1)
          return done({ kind: 'line', text })
        }
        if (nl > limit || (nl < 0 && this.buffer.length > limit)) {
          this.sock.pause()
          return done({ kind: 'too-large' })
        }
        if (this.ended) return done({ kind: 'eof' })
        this.waiter = look
      }
      look()
    })
  }

  /** Nothing more is read: whatever else the client sends is dropped, not kept. */
  stop(): void {
    this.stopped = true
    this.buffer = Buffer.alloc(0)
  }

  private wake(): void {
    this.waiter?.()
  }
}
