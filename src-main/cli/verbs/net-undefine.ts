import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { oneName, runOnline } from './net-call'

export const verb: Verb = {
  usage: 'net-undefine NAME',
  summary: "remove an inactive network's definition, like virsh net-undefine",
  async run(args, io) {
    const name = oneName(args, 'net-undefine')
    const r = await runOnline('net-undefine', 'undefine', args, io, { name })
    if (!r.ok) return r.exit
    io.out(`Network ${name} has been undefined`)
    return EXIT.ok
  }
}
