/**
 * forward-refresh: a running network's port forwards re-resolved to where its guests are now (a
 * new lease, a new SLAAC address, after a renumber); the table is replaced only when a rule
 * changes, in one nft transaction. A stopped network, or one without forwards, has nothing to do.
 */
import type { HelperValue } from '../../contract/helper-protocol'
import { readTextNoFollow } from '../../store/safe-fs'
import { prepareLiveForwards, runLiveForwards } from '../ops/forward-live'
import { readGuestAddresses } from '../ops/guest-addresses'
import type { VerbContext } from './context'
import { requireOk } from './context'

export async function run(ctx: VerbContext<'forward-refresh'>): Promise<HelperValue<'forward-refresh'>> {
  const name = ctx.args.name
  const def = requireOk(await (await ctx.store()).list(), name).def
  const running = readTextNoFollow(ctx.deps.paths.journal(name)) !== null
  if (!running || (def.guestnet?.portForwards ?? []).length === 0) {
    return { network: name, changed: false, message: `network ${name}: no running forwards to refresh` }
  }
  const facts = await ctx.hostFacts()
  const guests = await readGuestAddresses(ctx.deps, name, def.bridge?.name ?? null)
  const prepared = await prepareLiveForwards({ oldDef: def, newDef: def, facts, guests, deps: ctx.deps })
  await runLiveForwards(prepared, ctx.deps)
  const changed = prepared.plan.changed
  return {
    network: name,
    changed,
    message: changed
      ? `network ${name}: forwards follow their guests' new addresses`
      : `network ${name}: forwards unchanged`
  }
}
