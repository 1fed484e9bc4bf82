/** `guestnet net-forward-add NAME --proto tcp|udp --port N --to TARGET [--to-port N] [--family F] [--address ADDR]`. */
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { parseNetForwardArgs } from './net-forward-args'
import { runOnline } from './net-call'

export const verb: Verb = {
  usage:
    'net-forward-add NAME --proto tcp|udp --port N --to ADDRESS|MAC|RESERVATION [--to-port N] [--family ipv4|ipv6|both] [--address ADDR] [--json]',
  summary: 'forward a host port to a guest: stored, and live on a running network (guests keep their connections)',
  async run(args, io) {
    const a = parseNetForwardArgs(args, 'net-forward-add')
    const r = await runOnline('net-forward-add', 'forward', args, io, { ...a, op: 'add' })
    if (!r.ok) return r.exit
    io.out(args.flags.has('json') ? JSON.stringify(r.value, null, 2) : capitalised(r.value.message))
    return EXIT.ok
  }
}

export function capitalised(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1)
}
