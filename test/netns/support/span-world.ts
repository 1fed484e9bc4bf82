/**
 * Several "hosts" for one spanning network (docs/several-hosts.md): the world's host and more, each
 * with its own guestnet root, its own uplink to the internet namespace, and an address on a shared
 * underlay (a bridge in a namespace of its own, like a LAN switch). Guests attach to any host.
 */
import { join } from 'node:path'

import { connectUplink, writeNsResolvConf } from '../../../src-main/sandbox/topology'
import { trackPath } from './cleanup'
import type { Guest, GuestOptions } from './guest'
import { addGuestTo } from './guest'
import type { GuestnetRun } from './guestnet-cli'
import { runGuestnet } from './guestnet-cli'
import type { World } from './world'
import { HOST4, INET4 } from './world'

export interface SpanHost {
  index: number
  ns: string
  root: string
  /** The host's address on the underlay, 198.51.100.N. */
  underlay: string
  /** The host's uplink address: what the internet sees of its NAT. */
  uplink4: string
  guestnet(args: readonly string[]): Promise<GuestnetRun>
  addGuest(opts: GuestOptions): Promise<Guest>
}

export interface SpanWorld {
  underlayNs: string
  hosts: SpanHost[]
}

export const underlayOf = (i: number): string => `198.51.100.${i}`

/** Host 1 is the world's own host; hosts 2.. get uplinks 203.0.113.(64i+2)/26 from the internet's wan<i>. */
export async function createSpanHosts(world: World, count: number): Promise<SpanWorld> {
  const { x } = world
  const underlayNs = await world.newNamespace('u')
  await x.ip(underlayNs, ['link', 'add', 'ul0', 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0'])
  await x.ip(underlayNs, ['link', 'set', 'ul0', 'up'])
  const hosts: SpanHost[] = []
  for (let i = 1; i <= count; i++) {
    const ns = i === 1 ? world.host : await world.newNamespace(`h${i}`)
    let uplink4 = HOST4
    if (i > 1) {
      uplink4 = `203.0.113.${64 * (i - 1) + 2}`
      await connectUplink(x, {
        hostNs: ns,
        inetNs: world.inet,
        hostIf: 'uplink0',
        inetIf: `wan${i - 1}`,
        inet4: `203.0.113.${64 * (i - 1) + 1}/26`,
        host4: `${uplink4}/26`,
        inet6: `2001:db8:${i}::1/64`,
        host6: `2001:db8:${i}::2/64`
      })
      trackPath(await writeNsResolvConf(ns, [INET4]))
    }
    await x.ip(ns, ['link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', `uh${i}`, 'netns', underlayNs])
    await x.ip(ns, ['addr', 'add', `${underlayOf(i)}/24`, 'dev', 'lan0'])
    await x.ip(ns, ['link', 'set', 'lan0', 'up'])
    await x.ip(underlayNs, ['link', 'set', `uh${i}`, 'master', 'ul0', 'up'])
    const root = i === 1 ? world.root : join(world.dir, `root${i}`)
    hosts.push({
      index: i,
      ns,
      root,
      underlay: underlayOf(i),
      uplink4,
      guestnet: (args) => runGuestnet({ root, netns: ns, args }),
      addGuest: (opts) =>
        addGuestTo(
          {
            x,
            hostNs: ns,
            dir: world.dir,
            script: join(world.dir, 'udhcpc.sh'),
            newNamespace: world.newNamespace,
            spawn: world.spawn
          },
          opts
        )
    })
  }
  return { underlayNs, hosts }
}

/** Moves a guest's host end (its "tap") from one host's bridge to another's, the guest untouched. */
export async function moveGuest(world: World, guest: Guest, from: SpanHost, to: SpanHost): Promise<void> {
  await world.x.ip(from.ns, ['link', 'set', guest.hostIf, 'netns', to.ns])
  await world.x.ip(to.ns, ['link', 'set', guest.hostIf, 'master', guest.bridge, 'up'])
}
