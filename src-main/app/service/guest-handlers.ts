/** A network's guests: live DHCP leases and static reservations; the guests view (guests.ts). */
import type { Handlers } from '../ipc/dispatch'
import { guestsViewHandlers } from './guests'
import type { ServiceContext } from './service-context'

export function guestHandlers(
  ctx: ServiceContext
): Pick<Handlers, 'network:leases' | 'network:guests' | 'network:keep-lease'> {
  return {
    ...guestsViewHandlers(ctx),
    'network:leases': async ({ name }) => {
      const e = await ctx.entryOrThrow(name)
      const seconds = Math.floor(ctx.now() / 1000)
      const leases = (await ctx.leasesOf(name)).filter((l) => l.expiry === null || l.expiry > seconds)
      return {
        name,
        leases: leases.map((l) => ({
          mac: l.mac,
          ip: l.ip,
          hostname: l.hostname,
          expiresAt: l.expiry,
          clientId: l.clientId
        })),
        reservations: e.def.ips.flatMap((ip) =>
          (ip.dhcp?.hosts ?? []).map((h) => ({ mac: h.mac ?? null, ip: h.ip ?? null, name: h.name ?? null }))
        )
      }
    }
  }
}
