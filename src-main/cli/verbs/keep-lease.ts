/**
 * `guestnet net-dhcp-leases NAME --keep MAC`: the guest's live lease becomes a reservation in one
 * step. The lease comes from the helper's read-only `leases`, the request from the core
 * (core/leases/keep-lease.ts), and the change goes through `update` as net-update's: live on a
 * running network (dnsmasq re-reads its hostsfile, the guest keeps its lease) and in the stored file.
 */
import { keepLease } from '../../core/leases/keep-lease'
import { NetworkStore } from '../../store/network-store'
import type { CliArgs } from '../args'
import { offlineRoot } from '../offline-root'
import type { CliIo } from '../verb'
import { EXIT } from '../verb'
import { formatUpdate } from './net-update'
import { runOnline } from './net-call'

export async function runKeepLease(name: string, mac: string, args: CliArgs, io: CliIo): Promise<number> {
  const root = offlineRoot(args)
  const entry = await new NetworkStore(root === undefined ? {} : { root }).get(name)
  if (!entry || entry.state !== 'ok') {
    io.err(
      entry
        ? `guestnet net-dhcp-leases: network ${name}'s file ${entry.file} is broken: ${entry.reason}`
        : `guestnet net-dhcp-leases: no network named '${name}'; 'guestnet net-list --all' shows the defined networks`
    )
    return EXIT.failed
  }
  const leases = await runOnline('net-dhcp-leases', 'leases', args, io, { name })
  if (!leases.ok) return leases.exit
  const kept = keepLease(entry.def, leases.value.leases, mac, Math.floor(Date.now() / 1000))
  if (!kept.ok) {
    io.err(`guestnet net-dhcp-leases: ${kept.problem.message} [--${kept.problem.field}]\n  fix: ${kept.problem.fix}`)
    return EXIT.invalid
  }
  const r = await runOnline('net-dhcp-leases', 'update', args, io, { name, ...kept.request })
  if (!r.ok) return r.exit
  io.out(args.flags.has('json') ? JSON.stringify({ ...r.value, kept: kept.host }, null, 2) : formatUpdate(r.value))
  return EXIT.ok
}
