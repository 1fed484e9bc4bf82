import { describe, expect, it } from 'vitest'

import type { HostFacts } from '../../core/model/host-facts'
import type { HelperValue } from '../../contract/helper-protocol'
type RenumberValue = HelperValue<'renumber'>
import { findNetworkClashes } from '../../watch/clash-report'
import { describeHostNetworks } from '../../watch/host-changes'
import { formatRenumber } from './net-renumber'
import { formatWatchLine, reportLines } from './watch'

const facts: HostFacts = {
  addresses: [{ ifname: 'wlan0', family: 4, address: '192.168.122.40', prefix: 24 }],
  routes: [{ family: 4, dst: '0.0.0.0/0', gateway: '192.168.122.1', dev: 'wlan0', table: 'main' }]
}
const clashes = findNetworkClashes(
  [
    {
      def: {
        name: 'default',
        forward: { mode: 'nat' },
        bridge: { name: 'virbr0' },
        ips: [{ family: 'ipv4', address: '192.168.122.1', prefix: 24 }]
      },
      active: false
    }
  ],
  facts
)
const lines = describeHostNetworks(facts)

describe('guestnet watch output', () => {
  it('prints the first reading with the uplink, then each clash with both sides and the way out', () => {
    const out = reportLines(
      {
        change: { facts, lines, diff: { added: lines, removed: [] }, initial: true },
        clashes,
        appeared: clashes,
        resolved: []
      },
      new Date(0)
    )
    expect(out.map((l) => l.type)).toEqual(['ready', 'clash'])
    expect(out.map(formatWatchLine).join('\n')).toBe(
      [
        "watching the host's networks (2); uplink: default via 192.168.122.1 on wlan0 (table main)",
        '  address 192.168.122.40/24 on wlan0',
        '  default via 192.168.122.1 on wlan0 (table main)',
        'CLASH: network default (192.168.122.0/24) overlaps 192.168.122.0/24 on wlan0 (address 192.168.122.40/24): renumber it to 192.168.123.0/24 (guestnet net-renumber default)'
      ].join('\n')
    )
  })

  it('prints changes as + and - lines, a resolved clash, and an offline host', () => {
    const out = reportLines(
      {
        change: { facts, lines: [], diff: { added: [], removed: lines }, initial: false },
        clashes: [],
        appeared: [],
        resolved: [{ network: 'default', subnet: '192.168.122.0/24' }]
      },
      new Date(0)
    )
    expect(out.map(formatWatchLine)).toEqual([
      '1970-01-01T00:00:00.000Z host networks changed:\n  - address 192.168.122.40/24 on wlan0\n  - default via 192.168.122.1 on wlan0 (table main)',
      'resolved: network default (192.168.122.0/24) no longer overlaps a host network'
    ])
    expect(formatWatchLine({ type: 'ready', networks: [], uplinks: [] })).toBe(
      "watching the host's networks (0); uplink: none (offline)"
    )
  })
})

describe('guestnet net-renumber output', () => {
  it('lists the changes and the guests still on an old address', () => {
    const v: RenumberValue = {
      network: 'lab',
      from: '192.168.130.0/24',
      to: '10.130.0.0/24',
      changed: true,
      live: true,
      bridge: 'virbr1',
      changes: [{ field: 'ip[0].address', from: '192.168.130.1', to: '10.130.0.1' }],
      staleGuests: [{ mac: '52:54:00:00:00:0b', ip: '192.168.130.150', hostname: 'web' }],
      dnsmasqPid: 7,
      resolved: null,
      message:
        'network lab renumbered from 192.168.130.0/24 to 10.130.0.0/24 live (bridge virbr1 kept, guests stay attached)'
    }
    expect(formatRenumber(v).split('\n')).toEqual([
      'Network lab renumbered from 192.168.130.0/24 to 10.130.0.0/24 live (bridge virbr1 kept, guests stay attached)',
      '  ip[0].address: 192.168.130.1 -> 10.130.0.1',
      'Guests still holding an address of the old range (at their next DHCP renewal they are refused and get a new one;',
      'to move one now, renew in the guest, e.g. networkctl renew IFACE, dhclient -r && dhclient, or reconnect its link):',
      '  192.168.130.150  52:54:00:00:00:0b  web'
    ])
  })
})
