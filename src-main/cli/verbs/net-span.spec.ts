import { describe, expect, it } from 'vitest'

import { parseCliArgs, UsageError } from '../args'
import { formatSpan, spanAction } from './net-span'

const action = (line: string): ReturnType<typeof spanAction> => spanAction(parseCliArgs(line.split(' ')))

describe('net-span arguments', () => {
  it('takes exactly one of --add-peer, --del-peer and --show', () => {
    expect(action('net-span lab --add-peer 198.51.100.2')).toEqual({ op: 'add', peer: '198.51.100.2' })
    expect(action('net-span lab --del-peer=198.51.100.2')).toEqual({ op: 'del', peer: '198.51.100.2' })
    expect(action('net-span lab --show')).toEqual({ op: 'show' })
    expect(() => action('net-span lab')).toThrow(UsageError)
    expect(() => action('net-span lab --show --add-peer 198.51.100.2')).toThrow(/one of/)
  })
})

describe('net-span --show', () => {
  it('names the VNI, port, device, this host and its slice, and the peers', () => {
    expect(
      formatSpan('lab', {
        vni: 42,
        underlay: '198.51.100.1',
        slice: { part: 1, of: 2 },
        peers: [{ address: '198.51.100.2' }]
      })
    ).toBe(
      [
        'Network lab spans hosts over VXLAN 42 (UDP 4789, device gnvx42)',
        'This host: 198.51.100.1, serving part 1 of 2 of the DHCP range',
        'Peers: 198.51.100.2'
      ].join('\n')
    )
    expect(formatSpan('lab', undefined)).toBe('Network lab does not span hosts')
  })
})
