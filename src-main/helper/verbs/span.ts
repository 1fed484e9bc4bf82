/**
 * span (`guestnet net-span NAME --add-peer ADDR | --del-peer ADDR`): one peer host added to or
 * deleted from a spanning network (docs/several-hosts.md). The new definition is checked whole (the
 * validator, against the other networks and the host: a peer more may need a finer slice); on a
 * running network the change is prepared before the stored file (comments kept) changes, and if the
 * live part fails the stored definition is put back: nothing changed.
 */
import type { HelperValue } from '../../contract/helper-protocol'
import { HelperError } from '../../contract/helper-protocol'
import type { NetworkDef } from '../../core/model/network'
import type { Span } from '../../core/model/span'
import { canonicalIp } from '../../core/net/ip'
import { readTextNoFollow } from '../../store/safe-fs'
import type { PreparedForwards } from '../ops/forward-live'
import { prepareLiveForwards } from '../ops/forward-live'
import { readGuestAddresses } from '../ops/guest-addresses'
import { peerStep, runLivePeer } from '../ops/span-live'
import type { VerbContext } from './context'
import { invalidDefinition, requireOk } from './context'
import { mapStoreErrors } from './store-errors'

type Args = VerbContext<'span'>['args']

const same = (a: string, b: string): boolean => (canonicalIp(a) ?? a) === (canonicalIp(b) ?? b)

function changed(def: NetworkDef, a: Args): Span {
  const span = def.guestnet?.span
  if (!span) {
    throw new HelperError('BAD_REQUEST', `network ${def.name} does not span hosts`, {
      field: 'args.name',
      fix: `add <gn:span vni='…' underlay='this host's address'/> to its <metadata> (docs/several-hosts.md)`
    })
  }
  const has = span.peers.some((p) => same(p.address, a.peer))
  if (a.op === 'add') {
    if (has)
      throw new HelperError('BAD_REQUEST', `${a.peer} is a peer of network ${def.name} already`, { field: 'args.peer' })
    return { ...span, peers: [...span.peers, { address: a.peer }] }
  }
  if (!has) {
    throw new HelperError('NOT_FOUND', `${a.peer} is not a peer of network ${def.name}`, {
      field: 'args.peer',
      fix: `guestnet net-span ${def.name} --show lists its peers`
    })
  }
  return { ...span, peers: span.peers.filter((p) => !same(p.address, a.peer)) }
}

export async function run(ctx: VerbContext<'span'>): Promise<HelperValue<'span'>> {
  const { name, op, peer } = ctx.args
  const store = await ctx.store()
  const [entries, facts] = await Promise.all([store.list(), ctx.hostFacts()])
  const oldDef = requireOk(entries, name).def
  const span = changed(oldDef, ctx.args)
  const newDef: NetworkDef = { ...oldDef, guestnet: { ...oldDef.guestnet, span } }
  const what = op === 'add' ? `cannot add peer ${peer}` : `cannot delete peer ${peer}`
  const others = entries.flatMap((e) => (e.state === 'ok' && e.name !== name ? [e.def] : []))
  const { validateNetwork } = await import('../../core/validate/validate-network')
  const problems = validateNetwork(newDef, { others, hostFacts: facts })
  if (problems.length > 0) throw invalidDefinition(name, problems, what)

  const running = readTextNoFollow(ctx.deps.paths.journal(name)) !== null
  let prepared: PreparedForwards | null = null
  if (running) {
    const guests = await readGuestAddresses(ctx.deps, name, oldDef.bridge?.name ?? null)
    prepared = await prepareLiveForwards({ oldDef, newDef, facts, guests, deps: ctx.deps })
  }
  const defined = await mapStoreErrors(() => store.define(newDef, { hostFacts: facts }))
  if (!defined.ok) throw invalidDefinition(name, defined.problems, what)
  if (prepared !== null) {
    try {
      await runLivePeer(prepared, peerStep(span, peer, op), ctx.deps)
    } catch (e) {
      await mapStoreErrors(() => store.define(oldDef, { hostFacts: facts }))
      throw e
    }
  }
  const done = op === 'add' ? `spans to ${peer} too` : `no longer spans to ${peer}`
  return {
    network: name,
    op,
    peer,
    live: prepared !== null,
    message: `network ${name} ${done}${prepared !== null ? ' (live: the VXLAN flood list and the firewall were changed)' : ' (stored: it applies when the network starts)'}`
  }
}
