/** restore-default: bring back the deleted default network, with its old UUID and a range free today. */
import type { HelperValue } from '../../contract/helper-protocol'
import type { VerbContext } from './context'
import { mapStoreErrors } from './store-errors'

export async function run(ctx: VerbContext<'restore-default'>): Promise<HelperValue<'restore-default'>> {
  const facts = await ctx.hostFacts()
  const entry = await mapStoreErrors(async () => (await ctx.store()).restoreDefault(facts))
  return {
    network: entry.name,
    uuid: entry.def.uuid ?? null,
    bridge: entry.def.bridge?.name ?? null,
    message: `network ${entry.name} restored (autostart on); start it with guestnet net-start ${entry.name}`
  }
}
