import type { HelperValue } from '../../contract/helper-protocol'
type LeasesValue = HelperValue<'leases'>
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { runKeepLease } from './keep-lease'
import { oneName, runOnline } from './net-call'
import { formatExpiry, formatTable } from './net-table'

export function formatLeases(value: LeasesValue): string {
  return formatTable(
    ['Expiry Time', 'MAC address', 'Protocol', 'IP address', 'Hostname', 'Client ID or DUID'],
    value.leases.map((l) => [
      formatExpiry(l.expiry),
      l.mac ?? '-',
      l.family,
      l.prefix === null ? l.ip : `${l.ip}/${l.prefix}`,
      l.hostname ?? '-',
      l.clientId ?? '-'
    ])
  )
}

export const verb: Verb = {
  usage: 'net-dhcp-leases NAME [--keep MAC] [--json]',
  summary:
    "the network's DHCP leases (expiry, MAC, IP, hostname, client id), like virsh net-dhcp-leases; --keep MAC turns that guest's lease into a reservation, live",
  async run(args, io) {
    const name = oneName(args, 'net-dhcp-leases')
    const keep = args.options.get('keep')
    if (keep !== undefined) return runKeepLease(name, keep, args, io)
    const r = await runOnline('net-dhcp-leases', 'leases', args, io, { name })
    if (!r.ok) return r.exit
    io.out(args.flags.has('json') ? JSON.stringify(r.value.leases, null, 2) : formatLeases(r.value))
    for (const p of r.value.problems) io.err(`guestnet net-dhcp-leases: lease file: ${p}`)
    return EXIT.ok
  }
}
