/** Routed mode: guests keep their own addresses both ways; the internet reaches them through the host. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { addressOf } from '../../src-main/sandbox/topology'
import { expectOk } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import type { HostSnapshot } from './support/inspect'
import { defineAndStart, expectNothingLeft, snapshot } from './support/networks'
import { cliSkipReason } from './support/requirements'
import { probeTcp } from './support/tcp'
import type { World } from './support/world'
import { createWorld, HOST4, INET4, INET_TCP_PORT } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns routed tests skipped: ${skip}`)

const NET = { name: 'routed1', bridge: 'virbr4', mode: 'route', ipv4: '192.168.160.1/24' } as const

describe.skipIf(skip !== null)(`routed network${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let before: HostSnapshot
  let guest: Guest

  beforeAll(async () => {
    world = await createWorld()
    before = await snapshot(world)
    await defineAndStart(world, NET)
    guest = await world.addGuest({ bridge: NET.bridge, name: 'routed' })
    await guest.dhcp()
    // The upstream router learns the guest subnet is behind the host's uplink address.
    await world.x.ip(world.inet, ['route', 'add', '192.168.160.0/24', 'via', HOST4])
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NET.name])
    await world?.dispose()
  })

  it('lets the internet reach a guest at its own address', async () => {
    const ip = guest.lease?.ip ?? ''
    expect(ip).toMatch(/^192\.168\.160\./)
    const listener = await guest.listen(8080)
    expect(await probeTcp(world.x, world.inet, ip, 8080)).toMatchObject({
      result: 'connected',
      reply: `hello ${INET4}`
    })
    expect(listener.peers).toEqual([INET4])
    expect(
      await world.x.inNs(world.inet, ['busybox', 'ping', '-c', '1', '-W', '2', ip], { allowFail: true })
    ).toMatchObject({ code: 0 })
  })

  it('lets a guest reach the internet without NAT: the far side sees the guest address', async () => {
    const seen = world.inetListener.peers.length
    expect(await guest.probe(INET4, INET_TCP_PORT)).toMatchObject({
      result: 'connected',
      reply: `hello ${guest.lease?.ip}`
    })
    expect(world.inetListener.peers.slice(seen)).toEqual([guest.lease?.ip])
    expect(await guest.ping(addressOf(NET.ipv4))).toBe(true)
  })

  it('stops and leaves nothing behind', async () => {
    expectOk(await world.guestnet(['net-destroy', NET.name]))
    await expectNothingLeft(world, before, [guest.hostIf])
  })
})
