/** reconcile: find what a crash left and repair it (see ops/reconcile-decide.ts for the rules). */
import type { HelperValue } from '../../contract/helper-protocol'
import { reconcile } from '../ops/reconcile-run'
import type { VerbContext } from './context'

export async function run(ctx: VerbContext<'reconcile'>): Promise<HelperValue<'reconcile'>> {
  const entries = await (await ctx.store()).list()
  const defs = entries.flatMap((e) => (e.state === 'ok' ? [e.def] : []))
  const report = await reconcile(ctx.deps, defs, ctx.args.name)
  const message =
    report.repaired.length === 0 && report.failed.length === 0
      ? `nothing to repair${report.active.length > 0 ? ` (${report.active.length} active: ${report.active.join(', ')})` : ''}`
      : `${report.repaired.length} repaired, ${report.failed.length} failed`
  return { ...report, message }
}
