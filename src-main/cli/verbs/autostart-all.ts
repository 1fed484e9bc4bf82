import { UsageError } from '../args'
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { formatErrorBody, runOnline } from './net-call'

export const verb: Verb = {
  usage: 'autostart-all',
  summary: 'start every autostart network in name order, carrying on past failures (the boot path)',
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError('autostart-all takes no arguments')
    const r = await runOnline('autostart-all', 'autostart-all', args, io, {})
    if (!r.ok) return r.exit
    io.out(`Default network: ${r.value.defaultNetwork}`)
    if (r.value.results.length === 0) io.out('No network is marked for autostart')
    for (const res of r.value.results) {
      if (res.ok) io.out(`Network ${res.network}: ${res.message}`)
      else io.err(`Network ${res.network}: FAILED: ${formatErrorBody(res.error)}`)
    }
    return r.value.failed > 0 ? EXIT.failed : EXIT.ok
  }
}
