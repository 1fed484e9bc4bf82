/**
 * firewalld over its D-Bus API with `dbus-send` (one short process, no Python start-up as with
 * firewall-cmd), as libvirt talks to it. The bus is asked first whether firewalld owns its name, so a
 * stopped firewalld is never D-Bus-activated by guestnet. Zone and interface names are checked before
 * they go into an argument (`string:NAME`), and replies are parsed, never run.
 */
import { existsSync, readlinkSync } from 'node:fs'

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

/** Pure: the `uint32 N` of a reply, or null. */
export function replyUint(reply: string): number | null {
  const m = /^\s*uint32 (\d+)$/m.exec(reply)
  return m ? Number(m[1]) : null
}

/** The network namespace a process is in (`net:[4026531840]`), or null. */
function netnsOf(pid: number | 'self'): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`)
  } catch {
    return null
  }
}

export interface FirewalldProbe {
  busSocket?: string
  /** The network namespace of a process (default: /proc/PID/ns/net). */
  netnsOf?: (pid: number | 'self') => string | null
}

/**
 * firewalld's runtime zones, or null when no firewalld governs this network namespace: no system
 * bus, nobody owns firewalld's name, or the firewalld that does runs in another namespace (the
 * machine's, while the helper works in a test's or the sandbox's: its zones are not this one's, and
 * it must not be told about interfaces it cannot see).
 */
export async function firewalldZones(programs: ProgramRunner, probe: FirewalldProbe = {}): Promise<string[] | null> {
  if (!existsSync(probe.busSocket ?? SYSTEM_BUS_SOCKET)) return null
  const bus = (method: string): Argv =>
    call('org.freedesktop.DBus', '/org/freedesktop/DBus', `org.freedesktop.DBus.${method}`, FIREWALLD_NAME)
  let pid: number | null
  try {
    if (!replyTrue(await programs.output(bus('NameHasOwner')))) return null
    pid = replyUint(await programs.output(bus('GetConnectionUnixProcessID')))
  } catch {
    return null
  }
  const nsOf = probe.netnsOf ?? netnsOf
  const here = nsOf('self')
  if (pid === null || here === null || nsOf(pid) !== here) return null
  return replyStrings(await programs.output(zoneCall('getZones'))).filter(isZoneName)
}

function checkNames(bridge: string, zone: string): void {
  if (!isInterfaceName(bridge)) throw new Error(`'${bridge}' is not an interface name`)
  if (!isZoneName(zone)) throw new Error(`'${zone}' is not a firewalld zone name`)
}

/**
 * The zone `bridge` is in ('' for none), or null when no firewalld governs this namespace (see
 * firewalldZones).
 */
export async function zoneOfInterface(
  programs: ProgramRunner,
  bridge: string,
  probe: FirewalldProbe = {}
): Promise<string | null> {
  if (!isInterfaceName(bridge)) throw new Error(`'${bridge}' is not an interface name`)
  if ((await firewalldZones(programs, probe)) === null) return null
  return replyStrings(await programs.output(zoneCall('getZoneOfInterface', bridge)))[0] ?? ''
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
  probe: FirewalldProbe = {}
): Promise<void> {
  checkNames(bridge, zone)
  if ((await zoneOfInterface(programs, bridge, probe)) !== zone) return
  await programs.run(zoneCall('removeInterface', zone, bridge))
}
