/** define: store a network from XML, validated by the core against the other networks and the host. */
import type { HelperValue } from '../../contract/helper-protocol'
import type { VerbContext } from './context'
import { invalidDefinition } from './context'
import { mapStoreErrors } from './store-errors'

export type DefineValue = HelperValue<'define'>

export async function defineNetwork(ctx: VerbContext<'define' | 'apply'>, xml: string): Promise<DefineValue> {
  const facts = await ctx.hostFacts()
  const result = await mapStoreErrors(async () => (await ctx.store()).define(xml, { hostFacts: facts }))
  if (!result.ok) {
    const name = /<name>([^<]{1,60})<\/name>/.exec(xml)?.[1] ?? '(unnamed)'
    throw invalidDefinition(name, result.problems, 'cannot be defined')
  }
  const { entry } = result
  const verb = result.created ? 'defined' : result.changed ? 'redefined' : 'unchanged'
  return {
    network: entry.name,
    uuid: entry.def.uuid ?? null,
    bridge: entry.def.bridge?.name ?? null,
    created: result.created,
    changed: result.changed,
    autostart: entry.autostart,
    message: `network ${entry.name} ${verb}${!result.created && result.changed ? ' (a running network takes the change at its next start)' : ''}`
  }
}

export async function run(ctx: VerbContext<'define'>): Promise<DefineValue> {
  return defineNetwork(ctx, ctx.args.xml)
}
