import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { oneName, runOnline } from './net-call'

export const verb: Verb = {
  usage: 'net-start NAME [--verbose]',
  summary: 'start a defined network (bridge, firewall, dnsmasq), like virsh net-start; rolled back on failure',
  async run(args, io) {
    const name = oneName(args, 'net-start')
    const r = await runOnline('net-start', 'start', args, io, {
      name
    })
    if (!r.ok) return r.exit
    for (const line of r.value.repaired) io.err(`guestnet net-start: repaired first: ${line}`)
    io.out(r.value.alreadyActive ? `Network ${name} is already active` : `Network ${name} started`)
    if (r.value.resolved?.notable) io.err(`guestnet net-start: ${r.value.resolved.message}`)
    for (const w of r.value.warnings ?? []) io.err(`guestnet net-start: warning: ${w}`)
    for (const n of r.value.notes ?? []) io.err(`guestnet net-start: note: ${n}`)
    return EXIT.ok
  }
}
