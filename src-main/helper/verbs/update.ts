/**
 * update (`guestnet net-update`): one reservation, range or DNS host added, deleted or changed, as
 * virsh net-update does it. With neither `live` nor `config`, a running network gets both and a
 * stopped one the stored file only; `live` on a stopped network is refused. The change is checked
 * whole (core/update/net-update.ts, then the store against the other networks and the host) and
 * the live part prepared before anything changes; the stored definition keeps its comments. If the
 * live part fails it is rolled back and the stored definition put back: nothing changed.
 */
import type { HelperValue } from '../../contract/helper-protocol'
import { HelperError } from '../../contract/helper-protocol'
import { updateNetwork } from '../../core/update/net-update'
import { readTextNoFollow } from '../../store/safe-fs'
import type { PreparedLiveUpdate } from '../ops/update-live'
import { prepareLiveUpdate, runLiveUpdate } from '../ops/update-live'
import { readGuestAddresses } from '../ops/guest-addresses'
import type { VerbContext } from './context'
import { invalidDefinition, requireOk } from './context'
import { mapStoreErrors } from './store-errors'

/** virsh's flags: which of the running network and the stored file the update goes to. */
export function updateTargets(
  flags: { live?: boolean; config?: boolean },
  running: boolean,
  name: string
): { live: boolean; config: boolean } {
  const live = flags.live ?? false
  const config = flags.config ?? false
  if (!live && !config) return { live: running, config: true }
  if (live && !running) {
    throw new HelperError('NOT_ACTIVE', `network ${name} is not running, so --live has nothing to change`, {
      field: 'args.live',
      fix: 'leave out --live (or give --config) to change the stored definition; it takes effect at the next start'
    })
  }
  return { live, config }
}

export async function run(ctx: VerbContext<'update'>): Promise<HelperValue<'update'>> {
  const { name, command, section, xml } = ctx.args
  const store = await ctx.store()
  const [entries, facts] = await Promise.all([store.list(), ctx.hostFacts()])
  const oldDef = requireOk(entries, name).def
  const running = readTextNoFollow(ctx.deps.paths.journal(name)) !== null
  const targets = updateTargets(ctx.args, running, name)

  const updated = updateNetwork(oldDef, {
    command,
    section,
    xml,
    ...(ctx.args.parentIndex !== undefined ? { parentIndex: ctx.args.parentIndex } : {})
  })
  if (!updated.ok) throw invalidDefinition(name, updated.problems, `cannot be updated (${command} ${section})`)

  // Every check first, so a refusal leaves the running network and the stored file as they were.
  let prepared: PreparedLiveUpdate | null = null
  if (targets.live) {
    // The table holds the port forwards resolved to where the guests are: resolve them the same way.
    const guests = await readGuestAddresses(ctx.deps, name, oldDef.bridge?.name ?? null)
    prepared = prepareLiveUpdate({ newDef: updated.def, facts, deps: ctx.deps, guests })
  }
  if (targets.config) {
    const defined = await mapStoreErrors(() => store.define(updated.def, { hostFacts: facts }))
    if (!defined.ok) throw invalidDefinition(name, defined.problems, `cannot be updated (${command} ${section})`)
  }
  if (prepared !== null) {
    try {
      await runLiveUpdate(prepared, ctx.deps)
    } catch (e) {
      if (targets.config) await mapStoreErrors(() => store.define(oldDef, { hostFacts: facts }))
      throw e
    }
  }
  const where = [
    targets.live ? 'live (dnsmasq re-read it, guests keep their leases)' : '',
    targets.config ? 'in the stored definition' : ''
  ]
    .filter((w) => w !== '')
    .join(' and ')
  const later = !targets.live && running ? '; the running network keeps the old one until it restarts' : ''
  return {
    network: name,
    command,
    section,
    summary: updated.summary,
    live: targets.live,
    config: targets.config,
    dnsmasqPid: prepared?.dnsmasqPid ?? null,
    message: `network ${name}: ${updated.summary} ${where}${later}`
  }
}
