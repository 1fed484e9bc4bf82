import { describe, expect, it } from 'vitest'

import { terminalSafe } from './terminal-safe'

describe('terminalSafe', () => {
  it('shows what a terminal would act on, and leaves text, tabs and newlines alone', () => {
    expect(terminalSafe('plain\ttext\nnext line, ünïcode ✓')).toBe('plain\ttext\nnext line, ünïcode ✓')
    expect(terminalSafe('\u001b[2J\u001b]52;c;aGk=\u0007')).toBe('\\u001b[2J\\u001b]52;c;aGk=\\u0007')
    expect(terminalSafe('a\u009b31mb')).toBe('a\\u009b31mb')
    expect(terminalSafe('\r\u007f\u2028\u202eevil')).toBe('\\u000d\\u007f\\u2028\\u202eevil')
  })

  it('keeps JSON valid and meaning the same', () => {
    const value = { host: 'x\u009b\u001b\u202e\u2028y', n: 1 }
    const out = terminalSafe(JSON.stringify(value))
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u202e]/)
    expect(JSON.parse(out)).toEqual(value)
  })
})
