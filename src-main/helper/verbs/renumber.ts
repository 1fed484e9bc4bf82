/**
 * renumber: move a network to another subnet (`to`, or the first free range), keeping its name,
 * UUID, bridge, MAC and reservations (host parts kept). The stored definition is rewritten through
 * the store (the admin's comments survive); a running network is changed live with its bridge kept
 * (renumber-live.ts), and if that fails the stored definition is put back. The value lists the
 * guests that still hold an address of the old subnet: they move at their next DHCP renewal.
 */
import type { HelperValue } from '../../contract/helper-protocol'
import type { NetworkDef } from '../../core/model/network'
import { formatCidr } from '../../core/net/cidr'
import { renumberNetwork, subnetOfIp } from '../../core/renumber/renumber-network'
import { parseRenumberTarget, suggestRenumberTarget } from '../../core/renumber/renumber-target'
import { staleLeases } from '../../core/renumber/stale-leases'
import { readHostConfig } from '../../store/host-config-file'
import { renumberLive } from '../ops/renumber-live'
import type { ResolvedOutcome } from '../ops/resolved'
import { realResolvedIo, registerResolved } from '../ops/resolved'
import { parseLeases } from '../../core/leases/parse-leases'
import { HelperError } from '../../contract/helper-protocol'
import { readTextNoFollow } from '../../store/safe-fs'
import type { VerbContext } from './context'
import { invalidDefinition, requireOk } from './context'
import { mapStoreErrors } from './store-errors'

type StaleGuest = HelperValue<'renumber'>['staleGuests'][number]

function isRunning(ctx: VerbContext<'renumber'>, name: string): boolean {
  return readTextNoFollow(ctx.deps.paths.journal(name)) !== null
}

function staleGuestsOf(ctx: VerbContext<'renumber'>, def: NetworkDef): StaleGuest[] {
  const text = readTextNoFollow(ctx.deps.paths.leasesFile(def.name))
  if (text === null) return []
  const subnets = def.ips.flatMap((ip) => subnetOfIp(ip) ?? [])
  return staleLeases(parseLeases(text).leases, subnets, Math.floor(ctx.deps.now().getTime() / 1000)).map((l) => ({
    mac: l.mac,
    ip: l.ip,
    hostname: l.hostname
  }))
}

export async function run(ctx: VerbContext<'renumber'>): Promise<HelperValue<'renumber'>> {
  const name = ctx.args.name
  const store = await ctx.store()
  const [entries, facts, hostConfig] = await Promise.all([
    store.list(),
    ctx.hostFacts(),
    mapStoreErrors(() => readHostConfig(store.layout))
  ])
  const entry = requireOk(entries, name)
  const oldDef = entry.def
  const others = entries.flatMap((e) => (e.state === 'ok' && e.name !== name ? [e.def] : []))

  let target
  if (ctx.args.to !== undefined) {
    const parsed = parseRenumberTarget(ctx.args.to)
    if (!parsed.ok)
      throw new HelperError('INVALID_DEFINITION', `--to: ${parsed.problem.message}`, {
        field: 'args.to',
        ...(parsed.problem.fix ? { fix: parsed.problem.fix } : {})
      })
    target = parsed.cidr
  } else {
    target = suggestRenumberTarget(oldDef, {
      facts,
      others,
      ...(hostConfig?.rangePool ? { pool: hostConfig.rangePool } : {})
    })
    if (!target) {
      throw new HelperError('STORE', `no free IPv4 /24 is left to move network ${name} to`, {
        fix: 'give one with --to, or widen the range pool in host.json'
      })
    }
  }
  const r = renumberNetwork(oldDef, target)
  if (!r.ok) throw invalidDefinition(name, r.problems, `cannot be renumbered to ${formatCidr(target)}`)
  const base = {
    network: name,
    from: formatCidr(r.from),
    to: formatCidr(r.to),
    bridge: oldDef.bridge?.name ?? null,
    changes: r.changes
  }
  const live = isRunning(ctx, name)
  if (r.changes.length === 0) {
    return {
      ...base,
      changed: false,
      live: false,
      staleGuests: staleGuestsOf(ctx, oldDef),
      dnsmasqPid: null,
      resolved: null,
      message: `network ${name} already uses ${base.to}: nothing to do`
    }
  }

  // The store checks the new definition against the host (minus our own bridge) and the other networks.
  const defined = await mapStoreErrors(() => store.define(r.def, { hostFacts: facts }))
  if (!defined.ok) throw invalidDefinition(name, defined.problems, `cannot be renumbered to ${base.to}`)
  const newDef = defined.entry.def

  let dnsmasqPid: number | null = null
  let resolved: ResolvedOutcome | null = null
  if (live) {
    try {
      dnsmasqPid = (await renumberLive({ oldDef, newDef, family: r.to.family, facts, deps: ctx.deps })).dnsmasqPid
    } catch (e) {
      // The running network was rolled back: the stored definition goes back too.
      await mapStoreErrors(() => store.define(oldDef, { hostFacts: facts }))
      throw e
    }
    if (newDef.bridge?.name && ctx.deps.interfaces().has(newDef.bridge.name)) {
      resolved = await registerResolved(newDef, realResolvedIo(store.layout.hostConfigFile), ctx.deps.netns)
    }
  }
  const staleGuests = staleGuestsOf(ctx, newDef)
  const how = live
    ? `live (bridge ${base.bridge} kept, guests stay attached)`
    : '(not running: it starts in the new range)'
  const waiting =
    staleGuests.length > 0
      ? `; ${staleGuests.length} guest(s) still hold an old address until they renew their lease`
      : ''
  return {
    ...base,
    changed: true,
    live,
    staleGuests,
    dnsmasqPid,
    resolved,
    message: `network ${name} renumbered from ${base.from} to ${base.to} ${how}${waiting}`
  }
}
