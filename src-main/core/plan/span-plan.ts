/**
 * A spanning network's VXLAN port (docs/several-hosts.md): made after the bridge, in guestnet's
 * interface group with the network's owner mark like the bridge, learning on, with one all-zero
 * forwarding entry per peer (unicast head-end replication: broadcasts and unknown destinations go
 * to every peer; the kernel learns where each guest MAC lives from what arrives). Its MTU is the
 * underlay's less 50 bytes, and the bridge (and the guests, over DHCP) get the same unless the
 * definition says less. Deleting the bridge does not delete a port, so it has an undo of its own.
 */
import { vxlanMtu } from '../host/underlay'
import type { HostFacts } from '../model/host-facts'
import type { NetworkDef } from '../model/network'
import type { Argv, PlanStep } from '../model/plan'
import type { Span } from '../model/span'
import { spanPort, vxlanName } from '../model/span'
import { canonicalIp } from '../net/ip'
import { GUESTNET_DEVGROUP } from './devgroup'

export const undoVxlan = (name: string): Argv => ['@delete-vxlan', name]

/** The all-zero entry that sends broadcasts and unknown unicast to one peer. */
export function peerFdbArgv(vx: string, peer: string, verb: 'append' | 'del'): Argv {
  return ['bridge', 'fdb', verb, '00:00:00:00:00:00', 'dev', vx, 'dst', canonicalIp(peer) ?? peer]
}

/** The definition as the plan builds it: a span without `<mtu>` gets the VXLAN's, so bridge and guests fit it. */
export function withSpanMtu(def: NetworkDef, facts: HostFacts | undefined): NetworkDef {
  const span = def.guestnet?.span
  if (!span || def.mtu !== undefined || def.forward.mode === 'bridge') return def
  return { ...def, mtu: vxlanMtu(facts, span.underlay) }
}

export function spanStep(span: Span, bridge: string, owner: string, mtu: number): PlanStep {
  const vx = vxlanName(span)
  const local = canonicalIp(span.underlay) ?? span.underlay
  const apply: Argv[] = [
    // nolearning is not set: the peers' guests are found by learning, the all-zero entries flood.
    [
      ...['ip', 'link', 'add', vx, 'mtu', String(mtu), 'group', String(GUESTNET_DEVGROUP), 'type', 'vxlan'],
      ...['id', String(span.vni), 'local', local, 'dstport', String(spanPort(span))]
    ],
    ['ip', 'link', 'set', 'dev', vx, 'alias', owner],
    ['ip', 'link', 'set', 'dev', vx, 'master', bridge],
    ...span.peers.map((p) => peerFdbArgv(vx, p.address, 'append')),
    ['ip', 'link', 'set', 'dev', vx, 'up']
  ]
  return {
    id: 'span',
    title: `Join ${bridge} to ${span.peers.length} peer host${span.peers.length === 1 ? '' : 's'} over VXLAN ${span.vni} (${vx})`,
    apply,
    rollback: [undoVxlan(vx)],
    after: ['bridge']
  }
}
