import { describe, expect, it } from 'vitest'

import { parseCliArgs, UsageError } from '../args'
import { parseNetForwardArgs } from './net-forward-args'
import { formatForwards } from './net-forward-list'

const add = (...argv: string[]): ReturnType<typeof parseNetForwardArgs> =>
  parseNetForwardArgs(parseCliArgs(['net-forward-add', ...argv]), 'net-forward-add')
const del = (...argv: string[]): ReturnType<typeof parseNetForwardArgs> =>
  parseNetForwardArgs(parseCliArgs(['net-forward-del', ...argv]), 'net-forward-del')

describe('net-forward-add / net-forward-del arguments', () => {
  it('takes NAME and the virsh-style options', () => {
    expect(
      add(
        'default',
        '--proto',
        'tcp',
        '--port',
        '2222',
        '--to',
        'web',
        '--to-port',
        '22',
        '--family',
        'both',
        '--address',
        '203.0.113.5'
      )
    ).toEqual({
      name: 'default',
      proto: 'tcp',
      port: 2222,
      to: 'web',
      toPort: 22,
      family: 'both',
      address: '203.0.113.5'
    })
    expect(del('default', '--proto', 'udp', '--port', '53000')).toEqual({ name: 'default', proto: 'udp', port: 53000 })
  })

  it.each([
    [['--proto', 'tcp', '--port', '1', '--to', 'x'], /takes one network NAME/],
    [['d', '--proto', 'sctp', '--port', '1', '--to', 'x'], /--proto tcp\|udp/],
    [['d', '--proto', 'tcp', '--to', 'x'], /give --port N/],
    [['d', '--proto', 'tcp', '--port', '70000', '--to', 'x'], /from 1 to 65535, not '70000'/],
    [['d', '--proto', 'tcp', '--port', '0', '--to', 'x'], /from 1 to 65535/],
    [['d', '--proto', 'tcp', '--port', '22'], /give --to/],
    [['d', '--proto', 'tcp', '--port', '22', '--to', 'x', '--family', 'ipv5'], /--family takes ipv4, ipv6, both/]
  ])('refuses add %j, saying what to give', (argv, message) => {
    expect(() => add(...argv)).toThrow(UsageError)
    expect(() => add(...argv)).toThrow(message)
  })

  it('refuses target options on delete', () => {
    expect(() => del('d', '--proto', 'tcp', '--port', '22', '--to', 'x')).toThrow(/leave out --to/)
  })
})

describe('net-forward-list output', () => {
  it('shows each forward with where it goes now and its state', () => {
    const text = formatForwards({
      network: 'default',
      running: true,
      forwards: [
        {
          proto: 'tcp',
          port: 2222,
          to: '52:54:00:12:34:56',
          toPort: 22,
          family: 'both',
          address: null,
          ipv4: '192.168.122.40',
          ipv6: 'fd00::40',
          state: 'active'
        },
        {
          proto: 'udp',
          port: 5000,
          to: 'web',
          toPort: 5000,
          family: 'ipv4',
          address: '203.0.113.5',
          ipv4: null,
          ipv6: null,
          state: 'waiting'
        }
      ]
    })
    expect(text.split('\n')[2]).toMatch(
      /^tcp\/2222 +\* +both +52:54:00:12:34:56 +192.168.122.40:22 \[fd00::40\]:22 +active$/
    )
    expect(text.split('\n')[3]).toMatch(/^udp\/5000 +203.0.113.5 +ipv4 +web +- +waiting$/)
  })
})
