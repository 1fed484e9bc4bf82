/** undefine: remove a network's definition; refused while it runs (stop it first). */
import { HelperError } from '../protocol'
import { readTextSync } from '../state/fast-file'
import type { VerbContext } from './context'
import { nameArg } from './context'
import { mapStoreErrors } from './store-errors'

export async function run(ctx: VerbContext): Promise<{ network: string; message: string }> {
  const name = nameArg(ctx)
  if (readTextSync(ctx.deps.paths.journal(name)) !== null) {
    throw new HelperError('ACTIVE', `network ${name} is active: stop it before undefining it`, {
      fix: `guestnet net-destroy ${name}`
    })
  }
  await mapStoreErrors(async () => (await ctx.store()).undefine(name))
  return { network: name, message: `network ${name} undefined` }
}
