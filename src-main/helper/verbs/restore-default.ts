/** restore-default: bring back the deleted default network, with its old UUID and a range free today. */
import type { VerbContext } from './context'
import { mapStoreErrors } from './store-errors'

export async function run(
  ctx: VerbContext
): Promise<{ network: string; uuid: string | null; bridge: string | null; message: string }> {
  const facts = await ctx.hostFacts()
  const entry = await mapStoreErrors(async () => (await ctx.store()).restoreDefault(facts))
  return {
    network: entry.name,
    uuid: entry.def.uuid ?? null,
    bridge: entry.def.bridge?.name ?? null,
    message: `network ${entry.name} restored (autostart on); start it with guestnet net-start ${entry.name}`
  }
}
