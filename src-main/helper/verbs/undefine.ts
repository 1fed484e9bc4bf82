/** undefine: remove a network's definition; refused while it runs (stop it first). */
import type { HelperValue } from '../../contract/helper-protocol'
import { HelperError } from '../../contract/helper-protocol'
import { readTextNoFollow } from '../../store/safe-fs'
import type { VerbContext } from './context'
import { mapStoreErrors } from './store-errors'

export async function undefineNetwork(
  ctx: VerbContext<'undefine' | 'apply'>,
  name: string
): Promise<HelperValue<'undefine'>> {
  if (readTextNoFollow(ctx.deps.paths.journal(name)) !== null) {
    throw new HelperError('ACTIVE', `network ${name} is active: stop it before undefining it`, {
      fix: `guestnet net-destroy ${name}`
    })
  }
  await mapStoreErrors(async () => (await ctx.store()).undefine(name))
  return { network: name, message: `network ${name} undefined` }
}

export async function run(ctx: VerbContext<'undefine'>): Promise<HelperValue<'undefine'>> {
  return undefineNetwork(ctx, ctx.args.name)
}
