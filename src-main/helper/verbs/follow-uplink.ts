/**
 * follow-uplink (`guestnet net-follow-uplink [NAME]`): every running network (or the one named)
 * announces the MTU of the uplink as it is now (ops/follow-uplink.ts). Run after an uplink change
 * by whoever watches the host as root (`guestnet watch --follow-uplink`, the warm service); a
 * network whose announcement is already right is not touched.
 */
import type { HelperValue } from '../../contract/helper-protocol'
import { uplinkPathMtu } from '../../core/host/uplink-mtu'
import { compareNames } from '../../core/store/autostart-order'
import { readTextNoFollow } from '../../store/safe-fs'
import type { FollowOutcome } from '../ops/follow-uplink'
import { followUplink } from '../ops/follow-uplink'
import type { LanOutcome } from '../ops/lan-follow'
import { followLan } from '../ops/lan-follow'
import type { VerbContext } from './context'
import { requireOk } from './context'

export async function run(ctx: VerbContext<'follow-uplink'>): Promise<HelperValue<'follow-uplink'>> {
  const store = await ctx.store()
  const [entries, facts] = await Promise.all([store.list(), ctx.hostFacts()])
  const named = ctx.args.name
  if (named !== undefined) requireOk(entries, named)
  const running = entries
    .filter(
      (e) => (named === undefined || e.name === named) && readTextNoFollow(ctx.deps.paths.journal(e.name)) !== null
    )
    .sort((a, b) => compareNames(a.name, b.name))
  const networks: FollowOutcome[] = []
  const lan: LanOutcome[] = []
  for (const entry of running) {
    if (entry.state !== 'ok') continue
    const moved = await followLan(entry.def, facts, ctx.deps)
    if (moved) lan.push(moved)
    networks.push(await followUplink(entry.def, facts, ctx.deps))
  }
  const uplink = uplinkPathMtu(facts)
  const changed = networks.filter((n) => n.changed).map((n) => n.network)
  const path = uplink === null ? 'no uplink' : `uplink ${uplink.dev} MTU ${uplink.mtu}`
  const lanLines = lan.map((l) => `\n${l.message}`).join('')
  return {
    uplink,
    networks,
    lan,
    message: `${mtuMessage(path, networks.length, changed)}${lanLines}`
  }
}

function mtuMessage(path: string, running: number, changed: string[]): string {
  return running === 0
    ? `${path}: no running network to follow it`
    : changed.length === 0
      ? `${path}: every running network already announces it`
      : `${path}: ${changed.join(', ')} now announce${changed.length === 1 ? 's' : ''} it`
}
