/**
 * The service's request reader: one line, at most `limit` bytes, within `timeoutMs`. Unlike the
 * one-shot helper's stdin (read-request.ts), a socket's request ends at its first newline, whatever
 * it holds; a connection that closes, errs or stays silent ends the read too (never a hang).
 */
import type { Socket } from 'node:net'

export type LineOutcome = { kind: 'line'; text: string } | { kind: 'too-large' } | { kind: 'eof' }

export function readLine(sock: Socket, limit: number, timeoutMs: number): Promise<LineOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const finish = (outcome: LineOutcome): void => {
      clearTimeout(timer)
      sock.off('data', onData)
      sock.off('end', onEnd)
      sock.off('close', onEnd)
      sock.off('error', onEnd)
      sock.pause()
      resolve(outcome)
    }
    const onData = (chunk: Buffer): void => {
      const nl = chunk.indexOf(10)
      const part = nl >= 0 ? chunk.subarray(0, nl) : chunk
      size += part.length
      if (size > limit) return finish({ kind: 'too-large' })
      chunks.push(part)
      if (nl < 0) return
      finish({ kind: 'line', text: Buffer.concat(chunks).toString('utf8') })
      // What came after the line is the next line's: back into the stream for the next read.
      if (nl + 1 < chunk.length) sock.unshift(chunk.subarray(nl + 1))
    }
    const onEnd = (): void => finish({ kind: 'eof' })
    const timer = setTimeout(onEnd, timeoutMs)
    sock.on('data', onData)
    sock.once('end', onEnd)
    sock.once('close', onEnd)
    sock.once('error', onEnd)
  })
}
