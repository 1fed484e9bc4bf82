import { readFile } from 'node:fs/promises'

import { UsageError } from '../args'
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { runOnline } from './net-call'

export const verb: Verb = {
  usage: 'net-define FILE',
  summary: 'define (or redefine) a network from an XML file, like virsh net-define',
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('net-define takes exactly one FILE')
    const file = args.positionals[0]
    let xml: string
    try {
      xml = await readFile(file, 'utf8')
    } catch (e) {
      io.err(
        `guestnet net-define: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`
      )
      return EXIT.invalid
    }
    const r = await runOnline('net-define', 'define', args, io, { xml })
    if (!r.ok) return r.exit
    io.out(
      r.value.created
        ? `Network ${r.value.network} defined from ${file}`
        : `Network ${r.value.network} ${r.value.changed ? 'redefined' : 'unchanged'} from ${file}`
    )
    return EXIT.ok
  }
}
