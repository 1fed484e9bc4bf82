/**
 * A laptop that roams: the host has two uplinks to the internet namespace (203.0.113.0/24 and
 * 198.51.100.0/24) and the default route moves from one to the other, the first one then going
 * down. The NAT network has no `forward dev`, so its masquerade rule names no interface and follows
 * the default route: new connections from a guest work before and after, and the far side sees the
 * new uplink's address. `guestnet watch` reports the move, and a clash when a route in a policy
 * table (as a VPN adds) lands on the guest subnet, and its end.
 *
 * Connections open across the switch are not carried over: their conntrack entries keep the old
 * uplink's source address, which the new path does not route back. Applications reconnect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { WatchLine } from '../../src-main/cli/verbs/watch'
import { expectOk } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import { writeNetworkXml } from './support/network-xml'
import { cliSkipReason } from './support/requirements'
import type { WatchProcess } from './support/watch-process'
import { startWatch } from './support/watch-process'
import type { World } from './support/world'
import { createWorld, HOST4, INET4, INET_TCP_PORT, UPLINK } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns roaming tests skipped: ${skip}`)

const NET = { name: 'roam', bridge: 'virbr6', mode: 'nat', ipv4: '192.168.170.1/24' } as const
/** The second uplink: host 198.51.100.2 ↔ internet 198.51.100.1 (TEST-NET-2). */
const UPLINK2 = 'uplink1'
const HOST4_2 = '198.51.100.2'
const INET4_2 = '198.51.100.1'
/** A server on neither uplink's subnet, so only the default route reaches it. */
const FAR = '192.0.2.80'

type Of<T extends WatchLine['type']> = Extract<WatchLine, { type: T }>
const is =
  <T extends WatchLine['type']>(type: T, test: (l: Of<T>) => boolean = () => true) =>
  (l: WatchLine): l is Of<T> =>
    l.type === type && test(l as Of<T>)

describe.skipIf(skip !== null)(`roaming between uplinks${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let guest: Guest
  let watch: WatchProcess

  beforeAll(async () => {
    world = await createWorld()
    const { x, host, inet } = world
    await x.ip(host, ['link', 'add', UPLINK2, 'type', 'veth', 'peer', 'name', 'wan1', 'netns', inet])
    await x.ip(inet, ['addr', 'add', `${INET4_2}/24`, 'dev', 'wan1'])
    await x.ip(host, ['addr', 'add', `${HOST4_2}/24`, 'dev', UPLINK2])
    await x.ip(inet, ['link', 'set', 'wan1', 'up'])
    await x.ip(host, ['link', 'set', UPLINK2, 'up'])
    await x.ip(inet, ['addr', 'add', `${FAR}/32`, 'dev', 'lo'])
    expectOk(await world.guestnet(['net-define', await writeNetworkXml(world.dir, NET)]))
    expectOk(await world.guestnet(['net-start', NET.name]))
    guest = await world.addGuest({ bridge: NET.bridge, name: 'laptop-vm' })
    await guest.dhcp()
    watch = await startWatch(world.root, world.host)
  })
  afterAll(async () => {
    watch?.stop()
    await world?.guestnet(['net-destroy', NET.name])
    await world?.dispose()
  })

  it('starts with the first uplink as the default route, and no clash', () => {
    const ready = watch.lines.find(is('ready'))
    expect(ready?.uplinks).toContain(`default via ${INET4} on ${UPLINK} (table main)`)
    expect(watch.lines.filter(is('clash'))).toEqual([])
  })

  it('masquerades without naming an uplink (no forward dev), so the rule follows the default route', async () => {
    const table = (await world.x.inNs(world.host, ['nft', 'list', 'table', 'inet', `guestnet_${NET.name}`])).stdout
    const nat = table.split('\n').filter((l) => l.includes('masquerade'))
    expect(nat.length).toBeGreaterThan(0)
    for (const line of nat) expect(line).not.toMatch(/oif/)
  })

  it('reaches a far server through the first uplink: the far side sees its address', async () => {
    expect(await guest.probe(FAR, INET_TCP_PORT)).toMatchObject({ result: 'connected', reply: `hello ${HOST4}` })
  })

  it('keeps reaching it after the default route moves to the second uplink and the first goes down', async () => {
    const from = watch.lines.length
    await world.x.ip(world.host, ['route', 'replace', 'default', 'via', INET4_2, 'dev', UPLINK2])
    await world.x.ip(world.host, ['link', 'set', UPLINK, 'down'])
    const seen = world.inetListener.peers.length
    expect(await guest.probe(FAR, INET_TCP_PORT)).toMatchObject({ result: 'connected', reply: `hello ${HOST4_2}` })
    expect(world.inetListener.peers.slice(seen)).toEqual([HOST4_2])
    expect(await guest.ping(FAR)).toBe(true)
    // guestnet watch saw the uplink move.
    const change = await watch.waitForLine(
      is('change', (l) => l.added.includes(`default via ${INET4_2} on ${UPLINK2} (table main)`)),
      from
    )
    expect(change.uplinks).toEqual([`default via ${INET4_2} on ${UPLINK2} (table main)`])
    expect(watch.lines.slice(from).flatMap((l) => (l.type === 'change' ? l.removed : []))).toContain(
      `default via ${INET4} on ${UPLINK} (table main)`
    )
  })

  it('moves back when the first uplink returns', async () => {
    await world.x.ip(world.host, ['link', 'set', UPLINK, 'up'])
    await world.x.ip(world.host, ['route', 'replace', 'default', 'via', INET4, 'dev', UPLINK])
    expect(await guest.probe(FAR, INET_TCP_PORT)).toMatchObject({ result: 'connected', reply: `hello ${HOST4}` })
  })

  it('reports a clash when a route in a policy table lands on the guest subnet, and its end', async () => {
    const from = watch.lines.length
    await world.x.ip(world.host, ['route', 'add', '192.168.170.0/24', 'dev', UPLINK2, 'table', '51820'])
    const clash = await watch.waitForLine(
      is('clash', (l) => l.network === NET.name),
      from
    )
    expect(clash).toMatchObject({
      subnet: '192.168.170.0/24',
      active: true,
      bridge: NET.bridge,
      suggestion: '192.168.123.0/24'
    })
    expect(clash.clashes).toEqual([
      {
        other: '192.168.170.0/24',
        dev: UPLINK2,
        table: '51820',
        kind: 'route',
        message: '192.168.170.0/24 overlaps 192.168.170.0/24 on uplink1 (table 51820)'
      }
    ])
    const after = watch.lines.length
    await world.x.ip(world.host, ['route', 'del', '192.168.170.0/24', 'dev', UPLINK2, 'table', '51820'])
    await watch.waitForLine(
      is('clash-resolved', (l) => l.network === NET.name),
      after
    )
    expect(watch.stderr()).toBe('')
  })
})
