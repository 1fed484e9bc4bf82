/** autostart: mark or unmark a network to start at boot (autostart-all). */
import type { HelperValue } from '../../contract/helper-protocol'
import type { VerbContext } from './context'
import { mapStoreErrors } from './store-errors'

export async function run(ctx: VerbContext<'autostart'>): Promise<HelperValue<'autostart'>> {
  const { name, enable } = ctx.args
  await mapStoreErrors(async () => (await ctx.store()).setAutostart(name, enable))
  return {
    network: name,
    autostart: enable,
    message: `network ${name} ${enable ? 'marked as autostarted' : 'unmarked as autostarted'}`
  }
}
