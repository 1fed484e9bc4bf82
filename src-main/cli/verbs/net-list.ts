import type { HelperValue } from '../../contract/helper-protocol'
import { UsageError } from '../args'
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { runOnline } from './net-call'
import { formatTable } from './net-table'

type NetworkStatus = HelperValue<'status'>['networks'][number]

const yesNo = (b: boolean): string => (b ? 'yes' : 'no')

export function formatNetList(networks: readonly NetworkStatus[]): string {
  return formatTable(
    ['Name', 'State', 'Autostart', 'Persistent'],
    networks.map((n) => [n.name, n.state, yesNo(n.autostart), yesNo(n.defined)])
  )
}

/** `network a-b is broken: table inet guestnet_a-b is missing` for each broken network shown. */
export function brokenLines(networks: readonly NetworkStatus[]): string[] {
  return networks
    .filter((n) => n.state === 'broken')
    .map((n) => `network ${n.name} is broken: ${n.problems.length > 0 ? n.problems.join('; ') : 'no reason given'}`)
}

export const verb: Verb = {
  usage: 'net-list [--all] [--json]',
  summary: 'list the active networks (--all: every defined one too), like virsh net-list',
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError('net-list takes no positional arguments')
    const r = await runOnline('net-list', 'status', args, io, {})
    if (!r.ok) return r.exit
    const shown = args.flags.has('all') ? r.value.networks : r.value.networks.filter((n) => n.state !== 'inactive')
    io.out(args.flags.has('json') ? JSON.stringify(shown, null, 2) : formatNetList(shown))
    // On stderr: the table (or JSON) stays what scripts parse, and a person sees why.
    for (const line of brokenLines(shown)) io.err(`guestnet net-list: ${line}`)
    for (const p of r.value.storeProblems) io.err(`guestnet net-list: warning: ${p}`)
    return EXIT.ok
  }
}
