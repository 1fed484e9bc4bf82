import type { HelperValue } from '../../contract/helper-protocol'
import { UsageError } from '../args'
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { runOnline } from './net-call'

/** The report of a follow-uplink, one line per network. */
export function formatFollowUplink(v: HelperValue<'follow-uplink'>): string {
  return [v.message.charAt(0).toUpperCase() + v.message.slice(1), ...v.networks.map((n) => `  ${n.message}`)].join('\n')
}

export const verb: Verb = {
  usage: 'net-follow-uplink [NAME] [--json] [--verbose]',
  summary:
    "tell the guests of running networks the uplink's MTU now (DHCP option 26, RA MTU; dnsmasq restarts only if it changed)",
  async run(args, io) {
    if (args.positionals.length > 1) throw new UsageError('net-follow-uplink takes at most one network NAME')
    const name = args.positionals[0]
    const r = await runOnline('net-follow-uplink', 'follow-uplink', args, io, name === undefined ? {} : { name })
    if (!r.ok) return r.exit
    io.out(args.flags.has('json') ? JSON.stringify(r.value, null, 2) : formatFollowUplink(r.value))
    return EXIT.ok
  }
}
