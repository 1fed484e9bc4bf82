/** autostart: mark or unmark a network to start at boot (autostart-all). */
import { HelperError } from '../protocol'
import type { VerbContext } from './context'
import { nameArg } from './context'
import { mapStoreErrors } from './store-errors'

export async function run(ctx: VerbContext): Promise<{ network: string; autostart: boolean; message: string }> {
  const name = nameArg(ctx)
  const enable = ctx.args.enable
  if (enable === undefined)
    throw new HelperError('BAD_REQUEST', "'autostart' needs args.enable (true or false)", { field: 'args.enable' })
  await mapStoreErrors(async () => (await ctx.store()).setAutostart(name, enable))
  return {
    network: name,
    autostart: enable,
    message: `network ${name} ${enable ? 'marked as autostarted' : 'unmarked as autostarted'}`
  }
}
