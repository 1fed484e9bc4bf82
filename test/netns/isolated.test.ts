/** Isolated mode (no <forward>): guests reach each other and the host, never the internet. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { addressOf } from '../../src-main/sandbox/topology'
import { expectOk } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import type { HostSnapshot } from './support/inspect'
import { defineAndStart, expectNothingLeft, snapshot } from './support/networks'
import { cliSkipReason } from './support/requirements'
import { probeTcp } from './support/tcp'
import type { World } from './support/world'
import { createWorld, INET4, INET_TCP_PORT } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns isolated tests skipped: ${skip}`)

const NET = { name: 'isolated1', bridge: 'virbr3', mode: 'none', ipv4: '192.168.155.1/24' } as const
const GATEWAY = addressOf(NET.ipv4)

describe.skipIf(skip !== null)(`isolated network${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let before: HostSnapshot
  let g1: Guest
  let g2: Guest

  beforeAll(async () => {
    world = await createWorld()
    before = await snapshot(world)
    await defineAndStart(world, NET)
    ;[g1, g2] = await Promise.all([
      world.addGuest({ bridge: NET.bridge, name: 'iso1' }),
      world.addGuest({ bridge: NET.bridge, name: 'iso2' })
    ])
    await Promise.all([g1.dhcp(), g2.dhcp()])
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NET.name])
    await world?.dispose()
  })

  it('gives leases in the subnet', () => {
    expect(g1.lease?.ip).toMatch(/^192\.168\.155\./)
    expect(g2.lease?.ip).toMatch(/^192\.168\.155\./)
  })

  it('lets guests reach each other, the host and its DNS', async () => {
    expect(await g1.ping(g2.lease?.ip ?? '')).toBe(true)
    expect(await g2.ping(GATEWAY)).toBe(true)
    const listener = await g2.listen(8080)
    expect(await g1.probe(g2.lease?.ip ?? '', 8080)).toMatchObject({ result: 'connected' })
    expect(listener.peers).toEqual([g1.lease?.ip])
    expect(await g1.resolve('iso2', GATEWAY)).toEqual([g2.lease?.ip])
  })

  it('keeps guests off the internet, while the host itself still reaches it', async () => {
    // A default route towards the gateway, in case the lease gave none: the firewall must still stop it.
    await world.x.ip(g1.ns, ['route', 'replace', 'default', 'via', GATEWAY])
    const seen = world.inetListener.peers.length
    expect((await g1.probe(INET4, INET_TCP_PORT, 1500)).result).not.toBe('connected')
    expect(await g1.ping(INET4, 1)).toBe(false)
    expect(world.inetListener.peers.slice(seen)).toEqual([])
    expect(await probeTcp(world.x, world.host, INET4, INET_TCP_PORT)).toMatchObject({ result: 'connected' })
  })

  it('keeps the internet off the guests', async () => {
    const listener = await g1.listen(8081)
    await world.x.ip(world.inet, ['route', 'add', '192.168.155.0/24', 'via', addressOf('203.0.113.2/24')])
    expect((await probeTcp(world.x, world.inet, g1.lease?.ip ?? '', 8081, 1500)).result).not.toBe('connected')
    expect(listener.peers).toEqual([])
  })

  it('stops and leaves nothing behind', async () => {
    expectOk(await world.guestnet(['net-destroy', NET.name]))
    await expectNothingLeft(world, before, [g1.hostIf, g2.hostIf])
  })
})
