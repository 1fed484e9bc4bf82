/** The dashboard's view of a network: the stored entry, its live state and its guest count. */
import type { NetworkDef } from '../../core/model/network'
import type { ChannelOutput } from '../../contract/ipc-contract'
import type { DhcpLease } from '../../core/leases/parse-leases'
import type { NetworkEntry } from '../../store/network-store'

export type NetworkSummary = ChannelOutput<'network:list'>[number]
export type NetworkStatusWord = NetworkSummary['status']

export interface LiveState {
  state: NetworkStatusWord
  problems: string[]
  mtu?: NonNullable<NetworkSummary['mtu']>
  uplink?: NonNullable<NetworkSummary['uplink']>
  span?: { peers: Array<{ address: string; seen: boolean; guests: number }> }
}

/** Leases that have not expired (infinite ones count). */
export function currentLeases(leases: readonly DhcpLease[], nowSeconds: number): DhcpLease[] {
  return leases.filter((l) => l.expiry === null || l.expiry > nowSeconds)
}

/** Guests = distinct machines with a current lease (a dual-stack guest has two leases). */
export function guestCount(leases: readonly DhcpLease[], nowSeconds: number): number {
  const keys = new Set(currentLeases(leases, nowSeconds).map((l) => l.mac ?? l.hostname ?? l.clientId ?? l.ip))
  return keys.size
}

function addressOf(def: NetworkDef, family: 'ipv4' | 'ipv6'): string | null {
  const ip = def.ips.find((i) => i.family === family)
  return ip ? `${ip.address}/${ip.prefix}` : null
}

export function summarize(entry: NetworkEntry, live: LiveState | undefined, guests: number): NetworkSummary {
  if (entry.state === 'broken') {
    return {
      name: entry.name,
      status: 'broken',
      reason: entry.reason,
      file: entry.file,
      uuid: null,
      mode: null,
      bridge: null,
      ipv4: null,
      dhcp4: null,
      ipv6: null,
      domain: null,
      autostart: entry.autostart,
      guests: 0,
      isDefault: entry.name === 'default'
    }
  }
  const { def } = entry
  const range = def.ips.find((i) => i.family === 'ipv4')?.dhcp?.ranges[0]
  const status = live?.state ?? 'inactive'
  return {
    name: entry.name,
    status,
    reason: status === 'broken' ? (live?.problems.join('; ') ?? null) : null,
    file: entry.file,
    uuid: def.uuid ?? null,
    mode: def.forward.mode,
    bridge: def.bridge?.name ?? null,
    ipv4: addressOf(def, 'ipv4'),
    dhcp4: range ? { start: range.start, end: range.end } : null,
    ipv6: addressOf(def, 'ipv6'),
    domain: def.domain?.name ?? null,
    autostart: entry.autostart,
    guests: status === 'active' ? guests : 0,
    isDefault: entry.name === 'default',
    ...(status === 'active' && live?.mtu ? { mtu: live.mtu } : {}),
    ...(status === 'active' && live?.uplink ? { uplink: live.uplink } : {}),
    ...(def.guestnet?.span
      ? { span: spanSummary(def.guestnet.span, status === 'active' ? live?.span : undefined) }
      : {})
  }
}

/** The stored peers, each with what the running network knows of it (nothing when it is not running). */
function spanSummary(
  span: NonNullable<NonNullable<NetworkDef['guestnet']>['span']>,
  live: LiveState['span']
): NonNullable<NetworkSummary['span']> {
  const known = new Map((live?.peers ?? []).map((p) => [p.address, p]))
  return {
    vni: span.vni,
    underlay: span.underlay,
    peers: span.peers.map(({ address }) => {
      const p = known.get(address)
      return { address, seen: p ? p.seen : null, guests: p ? p.guests : null }
    })
  }
}
