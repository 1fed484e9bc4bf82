import { UsageError } from '../args'
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { runOnline } from './net-call'

export const verb: Verb = {
  usage: 'net-restore-default',
  summary: 'bring back the deleted default network (its old UUID, a range free today)',
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError('net-restore-default takes no arguments')
    const r = await runOnline('net-restore-default', 'restore-default', args, io, {})
    if (!r.ok) return r.exit
    io.out(r.value.message)
    return EXIT.ok
  }
}
