import { describe, expect, it } from 'vitest'

import { renderIpBatches } from './ip-batch'
import { analyseNetwork } from './network-shape'
import { defaultNet, ULA, v4, v6 } from '../../../test/unit-support/plan-defs.fixture'

const MARK = 'guestnet:system:default'

describe('renderIpBatches', () => {
  it('IPv4 only: one file creates, addresses and raises the bridge', () => {
    const b = renderIpBatches(analyseNetwork(defaultNet({ mtu: 9000, mac: '52:54:00:AB:CD:EF' })), MARK)
    expect(b.link).toBe(
      'link add name virbr0 mtu 9000 address 52:54:00:ab:cd:ef group 26478 type bridge stp_state 0 forward_delay 0\n' +
        `link set dev virbr0 alias ${MARK}\n` +
        'address add 192.168.122.1/24 broadcast + dev virbr0\n' +
        'link set dev virbr0 up\n'
    )
    expect(b.addresses).toBeNull()
  })

  it('STP stays off even when the XML asks for it', () => {
    const b = renderIpBatches(analyseNetwork(defaultNet({ bridge: { name: 'virbr0', stp: true, delay: 2 } })), MARK)
    expect(b.link).toContain('stp_state 0 forward_delay 0')
  })

  it('with IPv6: the link first, then addresses (IPv6 nodad, canonical) and link up', () => {
    const b = renderIpBatches(
      analyseNetwork(defaultNet({ ips: [v4('10.0.0.1', 24), v6('FD12:3456:789A:1:0::1', 64)] })),
      MARK
    )
    expect(b.link).toBe(
      `link add name virbr0 group 26478 type bridge stp_state 0 forward_delay 0\nlink set dev virbr0 alias ${MARK}\n`
    )
    expect(b.addresses).toBe(
      `address add 10.0.0.1/24 broadcast + dev virbr0\naddress add ${ULA}/64 dev virbr0 nodad\nlink set dev virbr0 up\n`
    )
  })
})
