import { describe, expect, it } from 'vitest'

import { parseCliArgs, UsageError } from '../args'
import { verbKit } from '../../../test/unit-support/verb-test-kit'
import { parseNetUpdateArgs, verb } from './net-update'

const host = "<host mac='52:54:00:12:34:56' ip='192.168.122.10' name='vm1'/>"

function parse(...argv: string[]): ReturnType<typeof parseNetUpdateArgs> {
  return parseNetUpdateArgs(parseCliArgs(['net-update', ...argv]))
}

describe('net-update arguments', () => {
  it('takes NAME COMMAND SECTION XML and the virsh flags', () => {
    expect(parse('default', 'add', 'ip-dhcp-host', host, '--live', '--config', '--parent-index', '1')).toEqual({
      name: 'default',
      command: 'add',
      section: 'ip-dhcp-host',
      xmlOrFile: host,
      live: true,
      config: true,
      parentIndex: 1
    })
    expect(parse('default', 'delete', 'dns-host', 'host.xml')).toEqual({
      name: 'default',
      command: 'delete',
      section: 'dns-host',
      xmlOrFile: 'host.xml'
    })
  })

  it.each([
    [['default', 'add', 'ip-dhcp-host'], /takes NAME COMMAND SECTION XML/],
    [['default', 'add', 'ip-dhcp-host', host, 'extra'], /takes NAME COMMAND SECTION XML/],
    [['default', 'replace', 'ip-dhcp-host', host], /unknown command 'replace': use add, add-first/],
    [['default', 'add', 'portgroup', host], /cannot update section 'portgroup': use ip-dhcp-host/],
    [['default', 'add', 'ip-dhcp-host', host, '--parent-index', 'x'], /--parent-index takes a number/]
  ])('refuses %j, saying what to give', (argv, message) => {
    expect(() => parse(...argv)).toThrow(UsageError)
    expect(() => parse(...argv)).toThrow(message)
  })

  it('refuses an XML argument that is neither an element nor a file, before calling the helper', async () => {
    const kit = verbKit('net-update', verb)
    try {
      const r = await kit.run('default', 'add', 'ip-dhcp-host', kit.path('missing.xml'))
      expect(r.code).toBe(2)
      expect(r.err).toMatch(/neither an XML element nor a readable file: no such file/)
    } finally {
      kit.cleanup()
    }
  })
})
