import { describe, expect, it } from 'vitest'

import { cliExit, elevatedCommands, shellQuote } from './net-call'

describe('what a normal user is told to run', () => {
  it('repeats the same command under sudo, and pkexec with an absolute path', () => {
    expect(
      elevatedCommands(['/usr/bin/node', '/opt/guestnet/bin/guestnet', '--root', '/tmp/r', 'net-start', 'default'])
    ).toEqual([
      'sudo guestnet --root /tmp/r net-start default',
      'pkexec /opt/guestnet/bin/guestnet --root /tmp/r net-start default'
    ])
  })

  it('names node and the bundle when run as node out/main/cli.js', () => {
    const [sudo] = elevatedCommands(['/usr/bin/node', '/w/out/main/cli.js', 'net-destroy', 'lab'])
    expect(sudo).toBe('sudo /usr/bin/node /w/out/main/cli.js net-destroy lab')
  })

  it('quotes only what needs quoting', () => {
    expect(shellQuote('default')).toBe('default')
    expect(shellQuote('a b')).toBe("'a b'")
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
  })

  it('maps helper error codes onto the CLI exit codes', () => {
    expect(cliExit('INVALID_NAME')).toBe(2)
    expect(cliExit('MISSING_PROGRAM')).toBe(3)
    expect(cliExit('STEP_FAILED')).toBe(1)
    expect(cliExit('INTERRUPTED')).toBe(1)
  })
})
