/**
 * forward (`guestnet net-forward-add` / `net-forward-del`): one port forward added to or deleted
 * from a network. The new definition is checked whole (the validator, against the other networks
 * and the host), a port a host program listens on is refused naming the program, and on a running
 * network the new table is prepared before the stored file (comments kept) changes; if the live
 * part fails it is rolled back and the stored definition put back: nothing changed.
 */
import type { HelperValue } from '../../contract/helper-protocol'
import { mark } from '../../diagnostics/timing'
import { HelperError } from '../../contract/helper-protocol'
import type { NetworkDef } from '../../core/model/network'
import type { PortForward } from '../../core/model/port-forward'
import { forwardKey } from '../../core/model/port-forward'
import { canonicalIp } from '../../core/net/ip'
import { readTextNoFollow } from '../../store/safe-fs'
import type { PreparedForwards } from '../ops/forward-live'
import { prepareLiveForwards, runLiveForwards } from '../ops/forward-live'
import { readGuestAddresses } from '../ops/guest-addresses'
import { listenerOn } from '../ops/listening'
import type { VerbContext } from './context'
import { invalidDefinition, requireOk } from './context'
import { mapStoreErrors } from './store-errors'

type Args = VerbContext<'forward'>['args']

function sameAddress(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  return (canonicalIp(a) ?? a) === (canonicalIp(b) ?? b)
}

function forwardOf(a: Args): PortForward {
  if (a.to === undefined) {
    throw new HelperError('BAD_REQUEST', 'a new forward needs a target', {
      field: 'args.to',
      fix: "give --to: the guest's address, MAC or DHCP reservation name"
    })
  }
  return {
    proto: a.proto,
    port: a.port,
    to: a.to,
    ...(a.toPort !== undefined ? { toPort: a.toPort } : {}),
    ...(a.family !== undefined ? { family: a.family } : {}),
    ...(a.address !== undefined ? { address: a.address } : {})
  }
}

function withForwards(def: NetworkDef, forwards: PortForward[]): NetworkDef {
  const { portForwards: _old, ...rest } = def.guestnet ?? {}
  const guestnet = forwards.length > 0 ? { ...rest, portForwards: forwards } : rest
  const { guestnet: _g, ...base } = def
  return Object.keys(guestnet).length > 0 ? { ...base, guestnet } : base
}

function changed(def: NetworkDef, a: Args): { def: NetworkDef; key: string } {
  const list = def.guestnet?.portForwards ?? []
  if (a.op === 'add') {
    const f = forwardOf(a)
    const listener = listenerOn(f)
    if (listener !== null) {
      throw new HelperError('BAD_REQUEST', `${forwardKey(f)} is in use on the host: ${listener} listens there`, {
        field: 'args.port',
        fix: 'use another port, stop that program, or give --address a host address it does not listen on'
      })
    }
    return { def: withForwards(def, [...list, f]), key: forwardKey(f) }
  }
  const key = forwardKey(a)
  const kept = list.filter((f) => !(f.proto === a.proto && f.port === a.port && sameAddress(f.address, a.address)))
  if (kept.length === list.length) {
    throw new HelperError('NOT_FOUND', `network ${def.name} has no forward ${key}`, {
      field: 'args.port',
      fix: `guestnet net-forward-list ${def.name} shows its forwards (give --address when the forward has one)`
    })
  }
  return { def: withForwards(def, kept), key }
}

export async function run(ctx: VerbContext<'forward'>): Promise<HelperValue<'forward'>> {
  const { name, op } = ctx.args
  const store = await ctx.store()
  const [entries, facts] = await Promise.all([store.list(), ctx.hostFacts()])
  mark('listed+facts')
  const oldDef = requireOk(entries, name).def
  const running = readTextNoFollow(ctx.deps.paths.journal(name)) !== null
  const next = changed(oldDef, ctx.args)
  mark('listeners')
  const what = op === 'add' ? `cannot forward ${next.key}` : `cannot delete forward ${next.key}`

  // Every check first, so a refusal leaves the running network and the stored file as they were.
  let prepared: PreparedForwards | null = null
  if (running) {
    const bridge = oldDef.bridge?.name ?? null
    const guests = await readGuestAddresses(ctx.deps, name, bridge)
    mark('guests')
    const others = entries.flatMap((e) => (e.state === 'ok' && e.name !== name ? [e.def] : []))
    const { validateNetwork } = await import('../../core/validate/validate-network')
    const problems = validateNetwork(next.def, { others, hostFacts: facts })
    if (problems.length > 0) throw invalidDefinition(name, problems, what)
    mark('validated')
    prepared = await prepareLiveForwards({ oldDef, newDef: next.def, facts, guests, deps: ctx.deps })
    mark('prepared')
  }
  const defined = await mapStoreErrors(() => store.define(next.def, { hostFacts: facts }))
  if (!defined.ok) throw invalidDefinition(name, defined.problems, what)
  mark('stored')
  if (prepared !== null) {
    try {
      await runLiveForwards(prepared, ctx.deps)
    } catch (e) {
      await mapStoreErrors(() => store.define(oldDef, { hostFacts: facts }))
      throw e
    }
  }
  mark('applied')
  const done = op === 'add' ? `forwards ${next.key}` : `no longer forwards ${next.key}`
  return {
    network: name,
    op,
    forward: next.key,
    live: prepared !== null,
    message: `network ${name} ${done}${prepared !== null ? ' (live: the firewall was replaced in one transaction, connections kept)' : ' (stored: it applies when the network starts)'}`
  }
}
