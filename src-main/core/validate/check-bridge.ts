/** `<bridge zone>` and `<port isolated>`: the bridge settings beyond its name, STP and delay. */
import type { NetworkDef } from '../model/network'
import type { Problems } from './problems'
import { printable } from './syntax'

/** firewalld zone names: letters, digits, '_' and '-', at most 17 characters (firewalld's own limit). */
const ZONE = /^[A-Za-z0-9_-]{1,17}$/

export const isZoneName = (zone: string): boolean => ZONE.test(zone)

export function checkBridge(def: NetworkDef, p: Problems): void {
  const zone = def.bridge?.zone
  if (zone === undefined) return
  if (!ZONE.test(zone))
    p.add(
      'bridge.zone',
      `'${printable(zone)}' is not a firewalld zone name`,
      "use 1–17 letters, digits, '_' or '-', e.g. zone='trusted'"
    )
  if (def.forward.mode === 'bridge')
    p.add(
      'bridge.zone',
      "guestnet does not put the host's bridge in a firewalld zone",
      'remove zone=; set the zone where the host’s bridge is configured'
    )
}

export function checkPort(def: NetworkDef, p: Problems): void {
  if (def.port?.isolated && def.forward.mode === 'bridge')
    p.add(
      'port.isolated',
      "guestnet cannot isolate guests on the host's bridge: it does not manage that bridge's ports, and its uplink is one of them",
      "remove <port isolated='yes'/>, or use a network guestnet makes (mode='nat', 'route', 'open' or isolated)"
    )
}
