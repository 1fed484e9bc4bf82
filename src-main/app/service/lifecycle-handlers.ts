/** Defining, starting, stopping, importing and deleting networks: each one helper request (applyChange). */
import type { NetworkDef } from '../../core/model/network'
import { formatNetworkXml } from '../../core/xml/format-network-xml'
import { parseNetworkXml } from '../../core/xml/parse-network-xml'
import type { OkNetworkEntry } from '../../store/network-store'
import type { Handlers } from '../ipc/dispatch'
import { defaultStateOf } from './default-state'
import { helperError, StepTracker } from './helper-errors'
import { checkDefinition } from './read-handlers'
import type { ServiceContext } from './service-context'
import { ServiceError } from './service-error'

type LifecycleChannel =
  | 'network:define'
  | 'network:undefine'
  | 'network:start'
  | 'network:stop'
  | 'network:set-autostart'
  | 'network:import-xml'
  | 'network:restore-default'
  | 'network:default-state'

/** Editing keeps the admin's comments: the stored document is re-written with the new values. */
function mergedXml(existing: OkNetworkEntry, def: NetworkDef): string {
  const parsed = parseNetworkXml(existing.xml)
  return parsed.ok ? formatNetworkXml(def, parsed.doc) : formatNetworkXml(def)
}

export function lifecycleHandlers(ctx: ServiceContext): Pick<Handlers, LifecycleChannel> {
  const { deps, applyChange, entryOrThrow } = ctx
  return {
    'network:define': async (input) => {
      const { def, editing, opId } = input
      if (editing !== undefined && def.name !== editing) {
        throw new ServiceError('INVALID_NETWORK', `a network's name cannot change (was '${editing}')`, {
          field: 'name'
        })
      }
      const existing = await deps.store.get(def.name)
      if (editing === undefined && existing) {
        throw new ServiceError('ALREADY_EXISTS', `a network named '${def.name}' already exists`, { field: 'name' })
      }
      const { problems, clashes } = await checkDefinition(ctx, def, editing)
      if (clashes.length > 0)
        throw new ServiceError('CLASH', clashes.map((c) => c.message).join('; '), { field: 'ips[0].address' })
      if (problems.length > 0) {
        const p = problems[0]
        throw new ServiceError('INVALID_NETWORK', `${p.message}${p.fix ? `: ${p.fix}` : ''}`, { field: p.field })
      }
      const xml = existing?.state === 'ok' ? mergedXml(existing, def) : formatNetworkXml(def)
      const done = await applyChange(
        {
          name: def.name,
          xml,
          ...(input.autostart !== undefined ? { autostart: input.autostart } : {}),
          ...(input.start ? { state: 'active' as const } : {})
        },
        opId
      )
      const stored = await entryOrThrow(def.name)
      return { name: def.name, xml: stored.xml, status: done.state === 'active' ? 'active' : 'inactive' }
    },

    'network:undefine': async ({ name, opId }) => {
      if (!(await deps.store.get(name)))
        throw new ServiceError('NOT_FOUND', `there is no network named '${name}'`, { field: 'name' })
      await applyChange({ name, delete: true }, opId)
      return { name }
    },

    'network:start': async ({ name, opId }) => {
      await applyChange({ name, state: 'active' }, opId)
      return { name }
    },

    'network:stop': async ({ name, opId }) => {
      await applyChange({ name, state: 'inactive' }, opId)
      return { name }
    },

    'network:set-autostart': async ({ name, autostart }) => {
      await applyChange({ name, autostart }, null)
      return { name, autostart }
    },

    'network:import-xml': async ({ xml, name }) => {
      const parsed = parseNetworkXml(xml)
      if (!parsed.ok) {
        const p = parsed.problems[0]
        const more = parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more)` : ''
        throw new ServiceError(
          'INVALID_NETWORK',
          `${p.field}${p.line ? ` (line ${p.line})` : ''}: ${p.message}${p.fix ? `: ${p.fix}` : ''}${more}`,
          { field: p.field }
        )
      }
      const def = name === undefined ? parsed.def : { ...parsed.def, name }
      if (await deps.store.get(def.name)) {
        throw new ServiceError(
          'ALREADY_EXISTS',
          `a network named '${def.name}' already exists: delete it first or import under another name`,
          { field: 'name' }
        )
      }
      const text = name === undefined ? xml : formatNetworkXml(def, parsed.doc)
      await applyChange({ name: def.name, xml: text }, null)
      const stored = await entryOrThrow(def.name)
      return { name: def.name, xml: stored.xml }
    },

    'network:restore-default': async ({ opId }) => {
      const tracker = new StepTracker(opId ?? null)
      const r = await deps.helper(
        { verb: 'restore-default', args: { ...deps.helperArgs } },
        { privileged: true, onEvent: (e) => deps.emit('apply:progress', tracker.toProgress(e)) }
      )
      if (!r.ok) throw helperError(r.error, tracker.rolledBack)
      return { name: 'default' }
    },

    'network:default-state': async () => defaultStateOf(await deps.defaultRecords())
  }
}
