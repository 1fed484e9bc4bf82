import { describe, expect, it } from 'vitest'

import { formatIp } from '../net/ip'
import { parseProcNetSockets } from './proc-net-sockets'

const HEAD = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n'

describe('/proc/net sockets', () => {
  it('reads listening TCP sockets with address, port and inode; skips other states', () => {
    const text =
      HEAD +
      '   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0\n' +
      '   1: 0100007F:0017 0200007F:C000 01 00000000:00000000 00:00000000 00000000     0        0 4243 1 0 100 0 0 10 0\n'
    const s = parseProcNetSockets(text, 'tcp', 4)
    expect(s.map((x) => [formatIp(x.address), x.port, x.inode])).toEqual([['127.0.0.1', 22, 4242]])
  })

  it('reads IPv6 addresses word by word', () => {
    const text =
      HEAD + '   0: 00000000000000000000000001000000:0035 00000000000000000000000000000000:0000 07 0 0 0 0 0 0 0 99 2\n'
    const s = parseProcNetSockets(text, 'udp', 6)
    expect(s.map((x) => [formatIp(x.address), x.port])).toEqual([['::1', 53]])
  })

  it('skips malformed lines', () => {
    expect(parseProcNetSockets(HEAD + 'garbage\n   0: zz:0016 0 0A 0 0 0 0 0 0 x\n', 'tcp', 4)).toEqual([])
  })
})
