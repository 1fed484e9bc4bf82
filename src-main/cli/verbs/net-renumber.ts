import type { HelperValue } from '../../contract/helper-protocol'
type RenumberValue = HelperValue<'renumber'>
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { oneName, runOnline } from './net-call'

/** The human-readable report of a renumber. */
export function formatRenumber(v: RenumberValue): string {
  const lines = [v.message.charAt(0).toUpperCase() + v.message.slice(1)]
  for (const c of v.changes) lines.push(`  ${c.field}: ${c.from} -> ${c.to}`)
  if (v.staleGuests.length > 0) {
    lines.push(
      'Guests still holding an address of the old range (at their next DHCP renewal they are refused and get a new one;',
      'to move one now, renew in the guest, e.g. networkctl renew IFACE, dhclient -r && dhclient, or reconnect its link):'
    )
    for (const g of v.staleGuests) lines.push(`  ${g.ip}  ${g.mac ?? '-'}  ${g.hostname ?? '-'}`)
  }
  if (v.resolved?.notable) lines.push(v.resolved.message)
  return lines.join('\n')
}

export const verb: Verb = {
  usage: 'net-renumber NAME [--to CIDR] [--json] [--verbose]',
  summary:
    'move a network to another subnet (default: the first free range), keeping name, UUID, bridge, MAC and reservations; live if running',
  async run(args, io) {
    const name = oneName(args, 'net-renumber')
    const to = args.options.get('to')
    const r = await runOnline('net-renumber', 'renumber', args, io, {
      name,
      ...(to !== undefined ? { to } : {})
    })
    if (!r.ok) return r.exit
    io.out(args.flags.has('json') ? JSON.stringify(r.value, null, 2) : formatRenumber(r.value))
    return EXIT.ok
  }
}
