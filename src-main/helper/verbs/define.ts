/** define: store a network from XML, validated by the core against the other networks and the host. */
import { HelperError } from '../protocol'
import type { VerbContext } from './context'
import { invalidDefinition } from './context'
import { mapStoreErrors } from './store-errors'

export interface DefineValue {
  network: string
  uuid: string | null
  bridge: string | null
  created: boolean
  changed: boolean
  autostart: boolean
  message: string
}

export async function run(ctx: VerbContext): Promise<DefineValue> {
  const xml = ctx.args.xml
  if (xml === undefined) throw new HelperError('BAD_REQUEST', "'define' needs args.xml", { field: 'args.xml' })
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
