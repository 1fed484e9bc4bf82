/** forwards (`guestnet net-forward-list`): each forward with the guest address it goes to now. */
import type { HelperValue } from '../../contract/helper-protocol'
import { NO_GUESTS, resolveForwards } from '../../core/forward/resolve-forwards'
import { forwardFamily } from '../../core/model/port-forward'
import { readTextNoFollow } from '../../store/safe-fs'
import { readGuestAddresses } from '../ops/guest-addresses'
import type { VerbContext } from './context'
import { requireOk } from './context'

export async function run(ctx: VerbContext<'forwards'>): Promise<HelperValue<'forwards'>> {
  const name = ctx.args.name
  const def = requireOk(await (await ctx.store()).list(), name).def
  const running = readTextNoFollow(ctx.deps.paths.journal(name)) !== null
  const guests = running ? await readGuestAddresses(ctx.deps, name, def.bridge?.name ?? null) : NO_GUESTS
  const forwards = resolveForwards(def, guests).map((r) => ({
    proto: r.forward.proto,
    port: r.forward.port,
    to: r.forward.to,
    toPort: r.forward.toPort ?? r.forward.port,
    family: forwardFamily(r.forward),
    address: r.forward.address ?? null,
    ipv4: r.ipv4,
    ipv6: r.ipv6,
    state: running ? r.state : ('stopped' as const)
  }))
  return { network: name, running, forwards }
}
