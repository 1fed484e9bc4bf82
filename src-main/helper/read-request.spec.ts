import { PassThrough } from 'node:stream'

import { describe, expect, it } from 'vitest'

import { readRequest } from './read-request'

describe('readRequest', () => {
  it('takes a request at its newline while stdin stays open', async () => {
    const s = new PassThrough()
    const p = readRequest(s)
    s.write('{"verb":"status",')
    s.write('"args":{}}\n')
    expect(await p).toEqual({ kind: 'text', text: '{"verb":"status","args":{}}' })
  })

  it('reads a request spread over several lines until it is whole', async () => {
    const s = new PassThrough()
    const p = readRequest(s)
    s.write('{\n  "verb": "status",\n')
    s.end('  "args": {}\n}\n')
    const out = await p
    expect(out.kind).toBe('text')
    if (out.kind === 'text') expect(JSON.parse(out.text)).toEqual({ verb: 'status', args: {} })
  })

  it('takes what came when stdin closes without a newline', async () => {
    const s = new PassThrough()
    const p = readRequest(s)
    s.end('{"verb":')
    expect(await p).toEqual({ kind: 'text', text: '{"verb":' })
  })

  it('reports a stdin closed before any request', async () => {
    const s = new PassThrough()
    const p = readRequest(s)
    s.end()
    expect(await p).toEqual({ kind: 'eof' })
  })

  it('stops reading past the size limit', async () => {
    const s = new PassThrough()
    const p = readRequest(s, 1000)
    s.write('x'.repeat(600))
    s.write('y'.repeat(600))
    expect(await p).toEqual({ kind: 'too-large' })
  })
})
