import type { HelperValue } from '../../contract/helper-protocol'
type NetworkStatus = HelperValue<'status'>['networks'][number]
import { UsageError } from '../args'
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { runOnline } from './net-call'
import { formatTable } from './net-table'

const yesNo = (b: boolean): string => (b ? 'yes' : 'no')

export function formatNetList(networks: readonly NetworkStatus[]): string {
  return formatTable(
    ['Name', 'State', 'Autostart', 'Persistent'],
    networks.map((n) => [n.name, n.state, yesNo(n.autostart), yesNo(n.defined)])
  )
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
    return EXIT.ok
  }
}
