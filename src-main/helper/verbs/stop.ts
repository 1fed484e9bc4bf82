/**
 * stop: undo the network from its journal's facts. What was already gone is not a failure; what is
 * still there afterwards is (the journal is kept so stop or reconcile can retry).
 */
import type { HelperValue } from '../../contract/helper-protocol'
import { HelperError } from '../../contract/helper-protocol'
import { mark } from '../../diagnostics/timing'
import { removePathSync } from '../../store/safe-fs'
import { removeNetworkDir, teardown } from '../ops/teardown'
import { readRecord, writeRecord } from '../state/journal'
import type { VerbContext } from './context'
import { notFound } from './context'

export type StopValue = HelperValue<'stop'>

export async function stopNetwork(ctx: VerbContext<'stop' | 'apply'>, name: string): Promise<StopValue> {
  const { deps } = ctx
  const { paths } = deps
  const expect = { network: name, store: deps.store }
  const rec = readRecord(paths.journal(name), expect)
  if (rec === null) {
    const intent = readRecord(paths.intent(name), expect)
    if (intent?.ok) {
      const report = await teardown(intent.record, deps)
      if (report.remaining.length > 0) {
        throw new HelperError(
          'STOP_INCOMPLETE',
          `cleaning up network ${name}'s interrupted start left ${report.remaining.join(', ')}`,
          { rollbackErrors: report.errors }
        )
      }
      removePathSync(paths.intent(name))
      removeNetworkDir(name, deps)
      return {
        network: name,
        state: 'inactive',
        warnings: report.errors,
        message: `network ${name} was not active; cleaned up what an interrupted start left`
      }
    }
    if (!(await (await ctx.store()).get(name))) throw notFound(name)
    throw new HelperError('NOT_ACTIVE', `network ${name} is not active`, {
      fix: `start it with guestnet net-start ${name}`
    })
  }
  if (!rec.ok) {
    throw new HelperError('STORE', `the journal of network ${name} is not one guestnet can act on (${rec.reason})`, {
      fix: 'run guestnet reconcile: it sets the journal aside and removes what is this network’s'
    })
  }
  const r = rec.record
  if (r.nsId !== null && deps.nsId !== null && r.nsId !== deps.nsId) {
    throw new HelperError(
      'FOREIGN_NAMESPACE',
      `network ${name} was started in another network namespace (${r.netns ?? r.nsId})`,
      {
        field: 'args.netns',
        fix: r.netns
          ? `stop it there: guestnet --netns ${r.netns} net-destroy ${name}`
          : 'stop it from the namespace it runs in'
      }
    )
  }
  mark('journal-read')
  // Going down: from here the guardian (helper/guardian/) restores nothing of it, even if this stop fails.
  if (r.stopping !== true) writeRecord(paths.journal(name), { ...r, stopping: true })
  const report = await teardown(r, deps, { concurrent: true })
  mark('torn-down')
  if (report.remaining.length > 0) {
    throw new HelperError('STOP_INCOMPLETE', `stopping network ${name} left ${report.remaining.join(', ')}`, {
      rollbackErrors: report.errors,
      fix: 'see the errors; guestnet net-destroy or guestnet reconcile retries'
    })
  }
  removePathSync(paths.journal(name))
  removePathSync(paths.intent(name))
  removeNetworkDir(name, deps)
  return { network: name, state: 'inactive', warnings: report.errors, message: `network ${name} stopped` }
}

export async function run(ctx: VerbContext<'stop'>): Promise<StopValue> {
  return stopNetwork(ctx, ctx.args.name)
}
