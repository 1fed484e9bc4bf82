/**
 * Reads the one request from a stream: complete at end of input, or as soon as the text up to a
 * newline is a whole JSON value (so a caller may keep stdin open). More than MAX_REQUEST_BYTES is
 * refused without reading further.
 */
import type { Readable } from 'node:stream'

import { MAX_REQUEST_BYTES } from '../contract/helper-protocol'

export type ReadOutcome = { kind: 'text'; text: string } | { kind: 'too-large' } | { kind: 'eof' }

function completeJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

export function readRequest(input: Readable, limit = MAX_REQUEST_BYTES): Promise<ReadOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const finish = (outcome: ReadOutcome): void => {
      if (done) return
      done = true
      input.off('data', onData)
      input.off('end', onEnd)
      input.off('error', onEnd)
      input.pause()
      resolve(outcome)
    }
    const onData = (chunk: Buffer | string): void => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      size += buf.length
      if (size > limit) {
        finish({ kind: 'too-large' })
        return
      }
      chunks.push(buf)
      if (buf.includes(10)) {
        const text = Buffer.concat(chunks).toString('utf8')
        const upTo = text.lastIndexOf('\n')
        if (completeJson(text.slice(0, upTo))) finish({ kind: 'text', text: text.slice(0, upTo) })
      }
    }
    const onEnd = (): void => {
      const text = Buffer.concat(chunks).toString('utf8')
      finish(text.trim() === '' ? { kind: 'eof' } : { kind: 'text', text })
    }
    input.on('data', onData)
    input.once('end', onEnd)
    input.once('error', onEnd)
  })
}
