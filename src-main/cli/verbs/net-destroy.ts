import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { oneName, runOnline } from './net-call'

export const verb: Verb = {
  usage: 'net-destroy NAME [--verbose]',
  summary: 'stop an active network and remove everything it made, like virsh net-destroy',
  async run(args, io) {
    const name = oneName(args, 'net-destroy')
    const r = await runOnline('net-destroy', 'stop', args, io, { name })
    if (!r.ok) return r.exit
    if (args.flags.has('verbose')) for (const w of r.value.warnings) io.err(`guestnet net-destroy: note: ${w}`)
    io.out(`Network ${name} destroyed`)
    for (const n of r.value.notes ?? []) io.err(`guestnet net-destroy: note: ${n}`)
    return EXIT.ok
  }
}
