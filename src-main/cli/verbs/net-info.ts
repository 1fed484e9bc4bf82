import type { HelperValue } from '../../contract/helper-protocol'
type NetworkStatus = HelperValue<'status'>['networks'][number]
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { oneName, runOnline } from './net-call'
import { formatFields } from './net-table'

const yesNo = (b: boolean): string => (b ? 'yes' : 'no')

const MTU_SOURCE: Record<NonNullable<NetworkStatus['mtu']>['source'], string> = {
  definition: 'set in the definition',
  uplink: "the uplink's, announced to guests",
  default: 'Ethernet default'
}

/** `1420 (the uplink's, announced to guests)`. */
export function mtuText(m: NonNullable<NetworkStatus['mtu']>): string {
  return `${m.value} (${MTU_SOURCE[m.source]})`
}

export function formatNetInfo(n: NetworkStatus): string {
  const fields: Array<[string, string]> = [
    ['Name', n.name],
    ['UUID', n.uuid ?? '-'],
    ['Active', yesNo(n.state === 'active')],
    ['Persistent', yesNo(n.defined)],
    ['Autostart', yesNo(n.autostart)],
    ['Bridge', n.bridge ?? '-']
  ]
  if (n.state !== 'inactive') {
    fields.push(['State', n.state])
    fields.push([
      'dnsmasq',
      n.dnsmasqPid === null ? '-' : `pid ${n.dnsmasqPid}${n.dnsmasqAlive ? '' : ' (not running)'}`
    ])
    for (const t of n.tables)
      fields.push([
        'Firewall',
        `${t.table}${t.present === false ? ' (missing)' : t.present === null ? ' (unknown: not root)' : ''}`
      ])
    if (n.mtu) fields.push(['MTU', mtuText(n.mtu)])
    if (n.uplink) fields.push(['IPv6 uplink', n.uplink.note])
    if (n.span) {
      fields.push(['Span', `VXLAN ${n.span.vni} from ${n.span.underlay}`])
      for (const p of n.span.peers)
        fields.push([
          'Peer',
          `${p.address} (${p.seen ? `${p.guests} guest${p.guests === 1 ? '' : 's'} behind it` : 'nothing heard lately'})`
        ])
    }
    if (n.startedAt) fields.push(['Started', n.startedAt])
  }
  for (const p of n.problems) fields.push(['Problem', p])
  return formatFields(fields)
}

export const verb: Verb = {
  usage: 'net-info NAME',
  summary: "a network's name, UUID, state, autostart and bridge, like virsh net-info",
  async run(args, io) {
    const name = oneName(args, 'net-info')
    const r = await runOnline('net-info', 'status', args, io, { name })
    if (!r.ok) return r.exit
    io.out(r.value.networks.map(formatNetInfo).join('\n\n'))
    return EXIT.ok
  }
}
