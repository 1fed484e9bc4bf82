import { describe, expect, it } from 'vitest'

import { decodeProcAddress, isWildcard, parseProcNetSockets } from './proc-net'

const UDP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  1: 00000000:0043 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 40001 2 0000000000000000 0
  2: 0196A8C0:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 40002 2 0000000000000000 0
  3: 0100007F:1F90 0200007F:0035 01 00000000:00000000 00:00000000 00000000     0        0 40003 2 0000000000000000 0
`
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0035 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 50001 1 0000000000000000 100 0 0 10 0
   1: B80D0120000000000000000001000000:0035 00000000000000000000000000000000:0000 01 00000000:00000000 00:00000000 00000000     0        0 50002 1 0000000000000000 100 0 0 10 0
`

describe('/proc/net sockets', () => {
  it('decodes little-endian IPv4 and IPv6 addresses', () => {
    expect(decodeProcAddress('0196A8C0')).toEqual({ family: 4, address: '192.168.150.1' })
    expect(decodeProcAddress('00000000000000000000000000000000')).toEqual({ family: 6, address: '::' })
    expect(decodeProcAddress('B80D0120000000000000000001000000')).toEqual({ family: 6, address: '2001:db8::1' })
    expect(decodeProcAddress('0000000000000000FFFF00000100007F')).toEqual({ family: 6, address: '::ffff:127.0.0.1' })
    expect(decodeProcAddress('xyz')).toBeNull()
  })

  it('keeps unconnected UDP and listening TCP sockets', () => {
    expect(parseProcNetSockets(UDP, 'udp')).toEqual([
      { proto: 'udp', family: 4, address: '0.0.0.0', port: 67, inode: 40001 },
      { proto: 'udp', family: 4, address: '192.168.150.1', port: 53, inode: 40002 }
    ])
    expect(parseProcNetSockets(TCP6, 'tcp')).toEqual([
      { proto: 'tcp', family: 6, address: '::', port: 53, inode: 50001 }
    ])
  })

  it('knows wildcard addresses', () => {
    expect(isWildcard('0.0.0.0')).toBe(true)
    expect(isWildcard('::')).toBe(true)
    expect(isWildcard('192.168.150.1')).toBe(false)
  })
})

describe('/proc/net sockets, as the forward check reads them', () => {
  const HEAD = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n'

  it('reads listening TCP sockets with address, port and inode; skips other states', () => {
    const text =
      HEAD +
      '   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0\n' +
      '   1: 0100007F:0017 0200007F:C000 01 00000000:00000000 00:00000000 00000000     0        0 4243 1 0 100 0 0 10 0\n'
    const s = parseProcNetSockets(text, 'tcp')
    expect(s.map((x) => [x.address, x.port, x.inode])).toEqual([['127.0.0.1', 22, 4242]])
  })

  it('reads IPv6 addresses word by word', () => {
    const text =
      HEAD + '   0: 00000000000000000000000001000000:0035 00000000000000000000000000000000:0000 07 0 0 0 0 0 0 0 99 2\n'
    const s = parseProcNetSockets(text, 'udp')
    expect(s.map((x) => [x.address, x.port])).toEqual([['::1', 53]])
  })

  it('skips malformed lines', () => {
    expect(parseProcNetSockets(HEAD + 'garbage\n   0: zz:0016 0 0A 0 0 0 0 0 0 x\n', 'tcp')).toEqual([])
  })
})
