/**
 * Which firewalld zone a network's bridge goes in, when firewalld runs. firewalld filters what enters
 * the host and what it forwards by zone; a bridge in no zone falls into the default zone (usually
 * `public`), which refuses DHCP and DNS from guests and forwarding from them. As libvirt does with its
 * own `libvirt` zone, the bridge goes in the network's `<bridge zone>` when it names one, or else in
 * the `guestnet` zone the package ships (packaging/guestnet-firewalld-zone.xml: DHCP, DNS, TFTP and
 * ICMP to the host, the rest of the host refused, forwarding accepted), or libvirt's when only that
 * one is there. Pure: the helper asks firewalld for its zones (helper/ops/firewalld.ts).
 */
import type { NetworkDef } from '../model/network'
import { PlanError } from './plan-error'

/** Zones tried, in order, when the definition names none. */
export const DEFAULT_ZONES = ['guestnet', 'libvirt'] as const

export interface ZoneChoice {
  /** The zone to put the bridge in, or null: leave firewalld alone. */
  zone: string | null
  /** Why a zone the definition names is not applied (firewalld is not running). */
  note: string | null
}

/**
 * `zones`: firewalld's runtime zones, or null when firewalld does not run. A named zone firewalld
 * does not have is an error: starting with guests refused by the default zone would be worse.
 */
export function chooseZone(def: NetworkDef, zones: readonly string[] | null): ZoneChoice {
  if (def.forward.mode === 'bridge') return { zone: null, note: null }
  const wanted = def.bridge?.zone
  if (zones === null) {
    const note = wanted
      ? `firewalld is not running: bridge ${def.bridge?.name ?? ''} is not in zone ${wanted} (restart the network once firewalld runs)`
      : null
    return { zone: null, note }
  }
  if (wanted !== undefined) {
    if (!zones.includes(wanted))
      throw new PlanError(
        'bridge.zone',
        `firewalld has no zone '${wanted}' (it has ${zones.join(', ') || 'none'})`,
        `create it (firewall-cmd --permanent --new-zone=${wanted}, then firewall-cmd --reload) or remove zone= from <bridge>`
      )
    return { zone: wanted, note: null }
  }
  return { zone: DEFAULT_ZONES.find((z) => zones.includes(z)) ?? null, note: null }
}
