import type { HelperValue } from '../../contract/helper-protocol'
import { UsageError } from '../args'
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { runOnline } from './net-call'

export function formatReconcile(r: HelperValue<'reconcile'>): string[] {
  return [
    ...r.repaired.map((l) => `repaired: ${l}`),
    ...r.failed.map((l) => `failed:   ${l}`),
    ...r.left.map((l) => `left:     ${l}`),
    r.message
  ]
}

export const verb: Verb = {
  usage: 'reconcile [NAME] [--json]',
  summary: 'find what a crash left (bridges, tables, dnsmasq, journals) and repair it',
  async run(args, io) {
    if (args.positionals.length > 1) throw new UsageError('reconcile takes at most one network NAME')
    const name = args.positionals[0]
    const r = await runOnline('reconcile', 'reconcile', args, io, name === undefined ? {} : { name })
    if (!r.ok) return r.exit
    io.out(args.flags.has('json') ? JSON.stringify(r.value, null, 2) : formatReconcile(r.value).join('\n'))
    return r.value.failed.length > 0 ? EXIT.failed : EXIT.ok
  }
}
