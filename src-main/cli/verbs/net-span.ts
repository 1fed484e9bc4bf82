/**
 * `guestnet net-span NAME --add-peer ADDR | --del-peer ADDR | --show [--json]`: a spanning network's
 * peer hosts (docs/several-hosts.md). Adding and deleting go through the helper (stored, and live on
 * a running network); --show reads the stored definition, like net-dumpxml.
 */
import type { Span } from '../../core/model/span'
import { spanPort, vxlanName } from '../../core/model/span'
import { NetworkStore } from '../../store/network-store'
import { UsageError } from '../args'
import type { CliArgs } from '../args'
import { offlineRoot } from '../offline-root'
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { capitalised } from './net-forward-add'
import { oneName, runOnline } from './net-call'

const USAGE = 'net-span NAME --add-peer ADDRESS | --del-peer ADDRESS | --show [--json]'

type Action = { op: 'add' | 'del'; peer: string } | { op: 'show' }

/** Pure: which one of the three the arguments ask for. */
export function spanAction(args: CliArgs): Action {
  const add = args.options.get('add-peer')
  const del = args.options.get('del-peer')
  const show = args.flags.has('show')
  if ([add !== undefined, del !== undefined, show].filter(Boolean).length !== 1)
    throw new UsageError(
      `net-span takes one of --add-peer ADDRESS, --del-peer ADDRESS or --show, e.g. net-span lab --add-peer 198.51.100.2`
    )
  if (add !== undefined) return { op: 'add', peer: add }
  if (del !== undefined) return { op: 'del', peer: del }
  return { op: 'show' }
}

/** Pure: a span as `net-span --show` prints it. */
export function formatSpan(name: string, span: Span | undefined): string {
  if (!span) return `Network ${name} does not span hosts`
  const slice = span.slice ? `part ${span.slice.part} of ${span.slice.of} of the DHCP range` : 'the whole DHCP range'
  return [
    `Network ${name} spans hosts over VXLAN ${span.vni} (UDP ${spanPort(span)}, device ${vxlanName(span)})`,
    `This host: ${span.underlay}, serving ${slice}`,
    span.peers.length > 0 ? `Peers: ${span.peers.map((p) => p.address).join(', ')}` : 'Peers: none yet'
  ].join('\n')
}

async function show(name: string, args: CliArgs, io: Parameters<Verb['run']>[1]): Promise<number> {
  const root = offlineRoot(args)
  const entry = await new NetworkStore(root === undefined ? {} : { root }).get(name)
  if (!entry || entry.state !== 'ok') {
    io.err(
      `guestnet net-span: no readable network named '${name}'; 'guestnet net-list --all' shows the defined networks`
    )
    return EXIT.failed
  }
  const span = entry.def.guestnet?.span
  io.out(
    args.flags.has('json') ? JSON.stringify({ network: name, span: span ?? null }, null, 2) : formatSpan(name, span)
  )
  return EXIT.ok
}

export const verb: Verb = {
  usage: USAGE,
  summary: "a network's peer hosts over VXLAN: add or delete one (stored, and live on a running network), or show them",
  async run(args, io) {
    const name = oneName(args, 'net-span')
    const action = spanAction(args)
    if (action.op === 'show') return show(name, args, io)
    const r = await runOnline('net-span', 'span', args, io, { name, op: action.op, peer: action.peer })
    if (!r.ok) return r.exit
    io.out(args.flags.has('json') ? JSON.stringify(r.value, null, 2) : capitalised(r.value.message))
    return EXIT.ok
  }
}
