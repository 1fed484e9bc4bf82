import { describe, expect, it } from 'vitest'

import { createCliIo } from './cli-io'

function capture(isTTY: boolean) {
  const got = { out: '', err: '' }
  const io = createCliIo({ write: (t) => (got.out += t), isTTY }, { write: (t) => (got.err += t), isTTY })
  return { io, got }
}

describe('the CLI’s output', () => {
  it('never writes a control sequence raw, on stdout or stderr, whatever the line holds', () => {
    const { io, got } = capture(true)
    io.out('lease for guest \u001b]52;c;aGk=\u0007 at 192.168.122.5')
    io.err('guestnet: hostname \u009b2J is odd')
    expect(got.out).toBe('lease for guest \\u001b]52;c;aGk=\\u0007 at 192.168.122.5\n')
    expect(got.err).toBe('guestnet: hostname \\u009b2J is odd\n')
  })

  it('keeps JSON lines parseable to the same value', () => {
    const { io, got } = capture(false)
    const value = [{ hostname: 'g\u009b\u001b\u202e' }]
    io.out(JSON.stringify(value))
    expect(JSON.parse(got.out)).toEqual(value)
  })

  it('writes a document exactly into a file, and safely onto a terminal', () => {
    const doc = '<network><description>a\u202eb</description></network>\n'
    const file = capture(false)
    file.io.document(doc)
    expect(file.got.out).toBe(doc)
    const tty = capture(true)
    tty.io.document(doc)
    expect(tty.got.out).toBe('<network><description>a\\u202eb</description></network>\n')
  })
})
