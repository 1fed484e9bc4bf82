/** Guests, forwards and `network:guests` answers the guests view's specs share. */
import type { ChannelOutput } from '../../src-main/contract/ipc-contract'

type Out = ChannelOutput<'network:guests'>
type Guest = Out['guests'][number]
type Forward = ChannelOutput<'network:forwards'>['forwards'][number]

const NOW_S = Math.floor(Date.now() / 1000)

/** A guest with a lease expiring in 42 min, a SLAAC and a link-local address, seen an hour ago. */
export const WEB: Guest = {
  mac: '52:54:00:12:34:56',
  hostname: 'web',
  ipv4: { ip: '192.168.122.50', expiresAt: NOW_S + 42 * 60 + 30, source: 'lease' },
  ipv6: [
    { ip: 'fd00:1::50', source: 'neighbour', linkLocal: false },
    { ip: 'fe80::5054:ff:fe12:3456', source: 'neighbour', linkLocal: true }
  ],
  reservation: null,
  firstSeen: NOW_S - 3600
}

/** A guest with a link-local address and a DHCPv6 one only. */
export const V6ONLY: Guest = {
  mac: '52:54:00:ab:cd:ef',
  hostname: null,
  ipv4: null,
  ipv6: [
    { ip: 'fe80::1', source: 'neighbour', linkLocal: true },
    { ip: 'fd00:1::77', source: 'dhcpv6', linkLocal: false }
  ],
  reservation: null,
  firstSeen: null
}

export function guestsOutput(guests: Guest[], reservations: Out['reservations'] = []): Out {
  return { name: 'default', bridge: 'virbr0', active: true, guests, reservations, addresses: ['192.168.122.1/24'] }
}

/** `tcp 2222 → 22` to WEB's MAC, active at its lease, unless `over` says otherwise. */
export function forward(over: Partial<Forward> = {}): Forward {
  return {
    proto: 'tcp',
    port: 2222,
    to: WEB.mac,
    toPort: 22,
    family: 'ipv4',
    address: null,
    ipv4: null,
    ipv6: null,
    state: 'active',
    ...over
  }
}
