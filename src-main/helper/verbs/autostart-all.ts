/** autostart-all (the boot path): start every autostart network in name order, past failures, reporting each. */
import type { HelperValue } from '../../contract/helper-protocol'
import { errorBody } from '../../contract/helper-protocol'
import type { VerbContext } from './context'
import { mapStoreErrors } from './store-errors'
import { resolvedAfterStart } from './start-resolved'
import { startNetwork } from './start'

export async function run(ctx: VerbContext<'autostart-all'>): Promise<HelperValue<'autostart-all'>> {
  const store = await ctx.store()
  const ensured = await mapStoreErrors(async () => store.ensureDefault(await ctx.hostFacts()))
  const defaultNetwork =
    ensured.action === 'created'
      ? `created network default on ${ensured.entry.def.bridge?.name ?? 'its bridge'} (first start of guestnet)`
      : ensured.action === 'no-free-range'
        ? `default network not created: ${ensured.message}`
        : ensured.action === 'adopted'
          ? 'adopted the existing default network'
          : ensured.reason
  const names = await mapStoreErrors(async () => store.autostartOrder())
  const out: HelperValue<'autostart-all'> = { defaultNetwork, results: [], started: 0, failed: 0 }
  for (const network of names) {
    if (ctx.deps.shouldStop()) break
    try {
      const r = await startNetwork(ctx, network)
      const resolved = r.alreadyActive ? null : await resolvedAfterStart(ctx, network)
      out.results.push({
        network,
        ok: true,
        message: resolved?.notable ? `${r.message}; ${resolved.message}` : r.message
      })
      out.started++
    } catch (e) {
      out.results.push({ network, ok: false, error: errorBody(e) })
      out.failed++
    }
  }
  return out
}
