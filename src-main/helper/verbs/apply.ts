/**
 * apply: one user action as one transaction, under the one lock (run-request.ts): define or update
 * the network, set its autostart mark, and bring it to the state asked for (start, restart with the
 * new definition, stop), or stop and delete it. The desktop app's wizard, edit, start/stop and delete
 * each are one request, so one pkexec run and one password prompt. If any part fails, what was done is
 * undone: the definition file, the autostart mark and the default network's history are put back
 * byte for byte, and a network that ran before runs again with its old definition.
 */
import type { HelperValue } from '../../contract/helper-protocol'
import { errorBody, HelperError } from '../../contract/helper-protocol'
import { readTextNoFollow } from '../../store/safe-fs'
import type { NetworkSnapshot } from '../../store/network-store'
import type { VerbContext } from './context'
import { defineNetwork } from './define'
import { startNetwork } from './start'
import { resolvedAfterStart } from './start-resolved'
import { stopNetwork } from './stop'
import { mapStoreErrors } from './store-errors'
import { undefineNetwork } from './undefine'

type ApplyValue = HelperValue<'apply'>

function nameInXml(xml: string): string | null {
  return /<name>\s*([^<]*?)\s*<\/name>/.exec(xml)?.[1] ?? null
}

function isRunning(ctx: VerbContext<'apply'>, name: string): boolean {
  return readTextNoFollow(ctx.deps.paths.journal(name)) !== null
}

export async function run(ctx: VerbContext<'apply'>): Promise<ApplyValue> {
  const { name, xml, autostart, state } = ctx.args
  if (xml !== undefined && nameInXml(xml) !== name) {
    throw new HelperError('BAD_REQUEST', `args.xml defines <name>${nameInXml(xml) ?? ''}</name>, not '${name}'`, {
      field: 'args.xml',
      fix: "a network's name cannot change: give the same name in args.name and <name>"
    })
  }
  if (ctx.args.delete && (xml !== undefined || autostart !== undefined || state === 'active')) {
    throw new HelperError('BAD_REQUEST', 'delete takes no definition, autostart or state', { field: 'args.delete' })
  }
  const store = await ctx.store()
  const before = await mapStoreErrors(() => store.snapshot(name))
  if (xml === undefined && before.xml === null) {
    throw new HelperError('NOT_FOUND', `no network named '${name}'`, {
      field: 'args.name',
      fix: 'give its definition in args.xml to create it'
    })
  }
  const wasRunning = isRunning(ctx, name)
  const undo = new Undo(ctx, before, wasRunning)
  try {
    return ctx.args.delete ? await deleteNetwork(ctx, undo) : await change(ctx, undo)
  } catch (e) {
    const problems = await undo.run()
    if (problems.length === 0) throw e
    const body = errorBody(e)
    throw new HelperError(body.code, `${body.message}; putting things back failed too: ${problems.join('; ')}`, {
      ...(body.field !== undefined ? { field: body.field } : {}),
      fix: 'guestnet net-list and guestnet reconcile show and repair what is left',
      rollbackErrors: [...(body.rollbackErrors ?? []), ...problems]
    })
  }
}

async function deleteNetwork(ctx: VerbContext<'apply'>, undo: Undo): Promise<ApplyValue> {
  const { name } = ctx.args
  const stopped = undo.wasRunning
  if (stopped) {
    await stopNetwork(ctx, name)
    undo.stopped = true
  }
  undo.touchedStore = true
  await undefineNetwork(ctx, name)
  return {
    network: name,
    defined: null,
    autostart: false,
    state: 'deleted',
    started: null,
    stopped,
    message: `network ${name} ${stopped ? 'stopped and ' : ''}deleted`
  }
}

async function change(ctx: VerbContext<'apply'>, undo: Undo): Promise<ApplyValue> {
  const { name, xml, autostart, state } = ctx.args
  const store = await ctx.store()
  let defined: ApplyValue['defined'] = null
  if (xml !== undefined) {
    undo.touchedStore = true
    defined = await defineNetwork(ctx, xml)
  }
  let mark = undo.before.autostart
  if (autostart !== undefined && autostart !== mark) {
    undo.touchedStore = true
    await mapStoreErrors(() => store.setAutostart(name, autostart))
    mark = autostart
  }
  // No state asked for: it stays as it is (a running network takes a new definition at its next start).
  const want = state ?? (undo.wasRunning ? 'unchanged' : 'inactive')
  let stopped = false
  let started: ApplyValue['started'] = null
  if (undo.wasRunning && (want === 'inactive' || (want === 'active' && defined?.changed === true))) {
    await stopNetwork(ctx, name)
    undo.stopped = true
    stopped = true
  }
  if (want === 'active' && (!undo.wasRunning || stopped)) {
    const result = await startNetwork(ctx, name)
    undo.started = true
    const resolved = result.alreadyActive ? null : await resolvedAfterStart(ctx, name)
    started = { ...result, resolved }
  }
  const running = want === 'active' || want === 'unchanged'
  const did = [
    defined ? (defined.created ? 'defined' : defined.changed ? 'redefined' : null) : null,
    autostart !== undefined && autostart !== undo.before.autostart ? `autostart ${autostart ? 'on' : 'off'}` : null,
    stopped && started ? 'restarted' : started ? 'started' : stopped ? 'stopped' : null
  ].filter((d): d is string => d !== null)
  return {
    network: name,
    defined,
    autostart: mark,
    state: running ? 'active' : 'inactive',
    started,
    stopped,
    message: `network ${name}: ${did.length > 0 ? did.join(', ') : 'nothing to change'}${running ? ' (active)' : ''}`
  }
}

/** What to put back if a later part fails, in the reverse order of the parts. */
class Undo {
  touchedStore = false
  stopped = false
  started = false

  constructor(
    private readonly ctx: VerbContext<'apply'>,
    readonly before: NetworkSnapshot,
    readonly wasRunning: boolean
  ) {}

  async run(): Promise<string[]> {
    const problems: string[] = []
    const attempt = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn()
      } catch (e) {
        problems.push(`${what}: ${errorBody(e).message}`)
      }
    }
    const { name } = this.ctx.args
    if (this.started && isRunning(this.ctx, name))
      await attempt('stop the new start', () => stopNetwork(this.ctx, name))
    if (this.touchedStore) {
      const store = await this.ctx.store()
      await attempt('restore the definition', () => store.restore(this.before))
    }
    if (this.stopped && this.wasRunning && !isRunning(this.ctx, name)) {
      await attempt('start the network again as it was', () => startNetwork(this.ctx, name))
    }
    return problems
  }
}
