/**
 * The guests channels: `network:guests` joins the lease file, the bridge's neighbour table (the
 * helper's read-only `leases` with `neighbours`, so it is read in the network's namespace and never
 * asks for a password), the reservations and the first-seen record; `network:keep-lease` turns a
 * live lease into a reservation through the helper's `update` (net-update's live path). No electron import.
 */
import { buildGuests, recordFirstSeen } from '../../core/leases/guests'
import { keepLease } from '../../core/leases/keep-lease'
import type { Neighbour } from '../../core/leases/parse-neighbours'
import type { Handlers } from '../ipc/dispatch'
import { memoryFirstSeen } from './first-seen-store'
import { helperError } from './helper-errors'
import { ServiceError } from './service-error'
import type { ServiceContext } from './service-context'

export function guestsViewHandlers(ctx: ServiceContext): Pick<Handlers, 'network:guests' | 'network:keep-lease'> {
  const { deps } = ctx
  const firstSeen = deps.firstSeen ?? memoryFirstSeen()
  return {
    'network:guests': async ({ name }) => {
      const e = await ctx.entryOrThrow(name)
      const [leases, live, active] = await Promise.all([
        ctx.leasesOf(name),
        deps.helper({ verb: 'leases', args: { ...deps.helperArgs, name, neighbours: true } }, { privileged: false }),
        ctx.isActive(name)
      ])
      const neighbours: Neighbour[] = live.ok ? (live.value.neighbours ?? []) : []
      const nowSeconds = Math.floor(ctx.now() / 1000)
      const reservations = e.def.ips.flatMap((ip) => ip.dhcp?.hosts ?? [])
      const hostMacs = e.def.mac !== undefined ? [e.def.mac] : []
      const sources = { leases, neighbours, reservations, hostMacs, nowSeconds }
      const seen = buildGuests({ ...sources, firstSeen: {} }).map((g) => g.mac)
      const updated = recordFirstSeen(await firstSeen.read(name), seen, nowSeconds)
      if (updated.changed) await firstSeen.write(name, updated.record)
      return {
        name,
        bridge: e.def.bridge?.name ?? null,
        active,
        guests: buildGuests({ ...sources, firstSeen: updated.record }),
        reservations: reservations.map((h) => ({ mac: h.mac ?? null, ip: h.ip ?? null, name: h.name ?? null })),
        addresses: e.def.ips.map((ip) => `${ip.address}/${ip.prefix}`)
      }
    },

    'network:keep-lease': async ({ name, mac }) => {
      const e = await ctx.entryOrThrow(name)
      const kept = keepLease(e.def, await ctx.leasesOf(name), mac, Math.floor(ctx.now() / 1000))
      if (!kept.ok)
        throw new ServiceError(
          'INVALID_INPUT',
          `${kept.problem.message}${kept.problem.fix ? `: ${kept.problem.fix}` : ''}`,
          { field: 'mac' }
        )
      const r = await deps.helper(
        { verb: 'update', args: { ...deps.helperArgs, name, ...kept.request } },
        { privileged: true }
      )
      if (!r.ok) throw helperError(r.error, [])
      deps.emit('leases:changed', { network: name })
      return {
        name,
        mac: kept.host.mac ?? mac,
        ip: kept.host.ip ?? '',
        hostname: kept.host.name ?? null,
        message: r.value.message
      }
    }
  }
}
