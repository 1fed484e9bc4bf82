import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { oneName, runOnline } from './net-call'

export const verb: Verb = {
  usage: 'net-autostart NAME [--disable]',
  summary: 'start the network at boot (autostart-all), or not with --disable, like virsh net-autostart',
  async run(args, io) {
    const name = oneName(args, 'net-autostart')
    const enable = !args.flags.has('disable')
    const r = await runOnline('net-autostart', 'autostart', args, io, { name, enable })
    if (!r.ok) return r.exit
    io.out(enable ? `Network ${name} marked as autostarted` : `Network ${name} unmarked as autostarted`)
    return EXIT.ok
  }
}
