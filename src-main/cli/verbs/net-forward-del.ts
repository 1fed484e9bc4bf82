/** `guestnet net-forward-del NAME --proto P --port N [--address ADDR]`. */
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { capitalised } from './net-forward-add'
import { parseNetForwardArgs } from './net-forward-args'
import { runOnline } from './net-call'

export const verb: Verb = {
  usage: 'net-forward-del NAME --proto tcp|udp --port N [--address ADDR] [--json]',
  summary: 'remove a port forward: from the stored file, and live from a running network',
  async run(args, io) {
    const a = parseNetForwardArgs(args, 'net-forward-del')
    const r = await runOnline('net-forward-del', 'forward', args, io, { ...a, op: 'del' })
    if (!r.ok) return r.exit
    io.out(args.flags.has('json') ? JSON.stringify(r.value, null, 2) : capitalised(r.value.message))
    return EXIT.ok
  }
}
