/**
 * `guestnet doctor [--json] [--fix ID|all] [--undo ID|all]`: what keeps guest networks from working
 * on this host, explained, with narrow reversible fixes the helper applies as root. Exit 0 when no
 * error is found (or every requested fix/undo worked), 1 otherwise; 2 and 3 as for every verb.
 */
import { formatDoctorText } from '../../doctor/format-text'
import { UsageError } from '../args'
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { runOnline } from './net-call'

export const verb: Verb = {
  usage: 'doctor [--json] [--fix ID|all] [--undo ID|all]',
  summary: 'find what blocks guest traffic (Docker, firewalls, forwarding, ports…) and fix it narrowly, reversibly',
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new UsageError('doctor takes no positional arguments (use --fix ID or --undo ID)')
    const fix = args.options.get('fix')
    const undo = args.options.get('undo')
    if (fix !== undefined && undo !== undefined) throw new UsageError('give --fix or --undo, not both')
    const r = await runOnline('doctor', 'doctor', args, io, {
      ...(fix !== undefined ? { fix } : {}),
      ...(undo !== undefined ? { undo } : {})
    })
    if (!r.ok) return r.exit
    const report = r.value
    io.out(args.flags.has('json') ? JSON.stringify(report, null, 2) : formatDoctorText(report))
    if (report.actions.length > 0) return report.actions.every((a) => a.ok) ? EXIT.ok : EXIT.failed
    return report.findings.some((f) => f.severity === 'error') ? EXIT.failed : EXIT.ok
  }
}
