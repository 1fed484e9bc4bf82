/** Two networks at once in one host: each serves its own guests, neither reaches the other's, stopping one leaves the other working. */
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
if (skip) console.warn(`netns two-network tests skipped: ${skip}`)

const RED = { name: 'red', bridge: 'virbr11', mode: 'nat', ipv4: '192.168.170.1/24' } as const
const BLUE = { name: 'blue', bridge: 'virbr12', mode: 'nat', ipv4: '192.168.171.1/24' } as const

describe.skipIf(skip !== null)(`two networks at once${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let before: HostSnapshot
  let red: Guest
  let blue: Guest

  beforeAll(async () => {
    world = await createWorld()
    before = await snapshot(world)
    await defineAndStart(world, RED)
    await defineAndStart(world, BLUE)
    ;[red, blue] = await Promise.all([
      world.addGuest({ bridge: RED.bridge, name: 'redguest' }),
      world.addGuest({ bridge: BLUE.bridge, name: 'blueguest' })
    ])
    await Promise.all([red.dhcp(), blue.dhcp()])
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', RED.name])
    await world?.guestnet(['net-destroy', BLUE.name])
    await world?.dispose()
  })

  it('serves each guest from its own network', () => {
    expect(red.lease?.ip).toMatch(/^192\.168\.170\./)
    expect(red.lease?.routers).toEqual([addressOf(RED.ipv4)])
    expect(blue.lease?.ip).toMatch(/^192\.168\.171\./)
    expect(blue.lease?.routers).toEqual([addressOf(BLUE.ipv4)])
  })

  it('lets both reach the internet through NAT', async () => {
    for (const guest of [red, blue]) {
      expect(await guest.probe(INET4, INET_TCP_PORT)).toMatchObject({ result: 'connected', reply: `hello ${HOST4}` })
    }
  })

  it('keeps the guests of one network from reaching the other network', async () => {
    const listener = await blue.listen(8080)
    // Control: the host reaches the blue guest, so the refusals below are the firewall's.
    expect(await probeTcp(world.x, world.host, blue.lease?.ip ?? '', 8080)).toMatchObject({ result: 'connected' })
    expect((await red.probe(blue.lease?.ip ?? '', 8080, 1500)).result).not.toBe('connected')
    expect(await red.ping(blue.lease?.ip ?? '', 1)).toBe(false)
    expect(await blue.ping(red.lease?.ip ?? '', 1)).toBe(false)
    expect(listener.peers).toEqual([addressOf(BLUE.ipv4)])
  })

  it('keeps the other network working when one stops', async () => {
    expectOk(await world.guestnet(['net-destroy', RED.name]))
    const now = await snapshot(world)
    expect(now.bridges).not.toContain(RED.bridge)
    expect(now.bridges).toContain(BLUE.bridge)
    expect(now.processes.filter((p) => p.endsWith(' dnsmasq'))).toHaveLength(1)
    expect(await blue.ping(addressOf(BLUE.ipv4))).toBe(true)
    expect(await blue.probe(INET4, INET_TCP_PORT)).toMatchObject({ result: 'connected' })
    expect(now.sysctls['net.ipv4.ip_forward']).toBe('1')
    const renewed = await blue.dhcp()
    expect(renewed.lease.ip).toBe(blue.lease?.ip)
  })

  it('stops the second and leaves nothing behind', async () => {
    expectOk(await world.guestnet(['net-destroy', BLUE.name]))
    await expectNothingLeft(world, before, [red.hostIf, blue.hostIf])
  })
})
