/**
 * firewalld over its D-Bus API with `dbus-send` (one short process, no Python start-up as with
 * firewall-cmd), as libvirt talks to it. The bus is asked first whether firewalld owns its name, so a
 * stopped firewalld is never D-Bus-activated by guestnet. Zone and interface names are checked before
 * they go into an argument (`string:NAME`), and replies are parsed, never run.
 */
import { existsSync } from 'node:fs'

import type { Argv } from '../../core/model/plan'
import { isZoneName } from '../../core/validate/check-bridge'
import { isInterfaceName } from '../../core/net/ifname'
import type { ProgramRunner } from './builtins'

export const FIREWALLD_NAME = 'org.fedoraproject.FirewallD1'
const SYSTEM_BUS_SOCKET = '/run/dbus/system_bus_socket'

const call = (dest: string, path: string, method: string, ...args: string[]): Argv => [
  'dbus-send',
  '--system',
  '--print-reply',
  '--reply-timeout=5000',
  `--dest=${dest}`,
  path,
  method,
  ...args.map((a) => `string:${a}`)
]

const zoneCall = (method: string, ...args: string[]): Argv =>
  call(FIREWALLD_NAME, '/org/fedoraproject/FirewallD1', `${FIREWALLD_NAME}.zone.${method}`, ...args)

/** Pure: the `string "…"` values of a `dbus-send --print-reply` answer, in order. */
export function replyStrings(reply: string): string[] {
  return [...reply.matchAll(/^\s*string "([^"\n]*)"$/gm)].map((m) => m[1])
}

/** Pure: `boolean true` in a reply. */
export const replyTrue = (reply: string): boolean => /^\s*boolean true$/m.test(reply)

/** firewalld's runtime zones, or null when firewalld does not run (no system bus, or nobody owns its name). */
export async function firewalldZones(programs: ProgramRunner, busSocket = SYSTEM_BUS_SOCKET): Promise<string[] | null> {
  if (!existsSync(busSocket)) return null
  let owner: string
  try {
    owner = await programs.output(
      call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', FIREWALLD_NAME)
    )
  } catch {
    return null
  }
  if (!replyTrue(owner)) return null
  return replyStrings(await programs.output(zoneCall('getZones'))).filter(isZoneName)
}

function checkNames(bridge: string, zone: string): void {
  if (!isInterfaceName(bridge)) throw new Error(`'${bridge}' is not an interface name`)
  if (!isZoneName(zone)) throw new Error(`'${zone}' is not a firewalld zone name`)
}

/** Puts `bridge` in `zone` (moving it from any other zone), at runtime only. */
export async function putInZone(programs: ProgramRunner, bridge: string, zone: string): Promise<void> {
  checkNames(bridge, zone)
  await programs.run(zoneCall('changeZoneOfInterface', zone, bridge))
}

/**
 * Takes `bridge` out of `zone` if it is still there. Not there (moved by the admin, firewalld
 * restarted or reloaded since, firewalld stopped): nothing of ours is left, nothing to do.
 */
export async function takeOutOfZone(
  programs: ProgramRunner,
  bridge: string,
  zone: string,
  busSocket = SYSTEM_BUS_SOCKET
): Promise<void> {
  checkNames(bridge, zone)
  if ((await firewalldZones(programs, busSocket)) === null) return
  const [current] = replyStrings(await programs.output(zoneCall('getZoneOfInterface', bridge)))
  if (current !== zone) return
  await programs.run(zoneCall('removeInterface', zone, bridge))
}
