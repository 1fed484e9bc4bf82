/**
 * No uplink at all (the laptop on a plane): the host's uplink is down and it has no default route.
 * A NAT network still starts, guests still get leases, reach each other and the host, and find each
 * other by name; only the internet is out of reach. When the uplink comes back, the same network
 * carries guests out with nothing restarted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { addressOf } from '../../src-main/sandbox/topology'
import { expectOk } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import { writeNetworkXml } from './support/network-xml'
import { cliSkipReason } from './support/requirements'
import { probeTcp } from './support/tcp'
import type { World } from './support/world'
import { createWorld, HOST4, INET4, INET_TCP_PORT, UPLINK } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns offline tests skipped: ${skip}`)

const NET = { name: 'offline', bridge: 'virbr5', mode: 'nat', ipv4: '192.168.180.1/24', domain: 'plane.test' } as const

describe.skipIf(skip !== null)(`offline host${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let g1: Guest
  let g2: Guest

  beforeAll(async () => {
    world = await createWorld()
    await world.x.ip(world.host, ['link', 'set', UPLINK, 'down'])
    // Down takes its routes along; make sure no default route of any family is left.
    await world.x.ip(world.host, ['route', 'del', 'default'], { allowFail: true })
    await world.x.ip(world.host, ['-6', 'route', 'del', 'default'], { allowFail: true })
    expectOk(await world.guestnet(['net-define', await writeNetworkXml(world.dir, NET)]))
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NET.name])
    await world?.dispose()
  })

  it('has no route out', async () => {
    const routes = (await world.x.ip(world.host, ['route', 'show', 'table', 'all'])).stdout
    expect(routes).not.toMatch(/^default/m)
    const watch = JSON.parse(expectOk(await world.guestnet(['watch', '--once', '--json'])).stdout.split('\n')[0]) as {
      uplinks: string[]
    }
    expect(watch.uplinks).toEqual([])
  })

  it('starts the network', async () => {
    const run = expectOk(await world.guestnet(['net-start', NET.name]))
    console.info(`net-start offline: ${run.ms.toFixed(0)} ms`)
    const status = JSON.parse(expectOk(await world.guestnet(['net-list', '--json'])).stdout) as {
      name: string
      state: string
    }[]
    expect(status.find((n) => n.name === NET.name)?.state).toBe('active')
  })

  it('gives guests leases; they reach each other, the host, and each other by name', async () => {
    ;[g1, g2] = await Promise.all([
      world.addGuest({ bridge: NET.bridge, name: 'seat1' }),
      world.addGuest({ bridge: NET.bridge, name: 'seat2' })
    ])
    const [l1, l2] = await Promise.all([g1.dhcp(), g2.dhcp()])
    for (const { lease } of [l1, l2]) {
      expect(lease.ip).toMatch(/^192\.168\.180\./)
      expect(lease.routers).toEqual([addressOf(NET.ipv4)])
    }
    expect(await g1.ping(l2.lease.ip)).toBe(true)
    expect(await g2.ping(addressOf(NET.ipv4))).toBe(true)
    // The host reaches a guest's service too.
    await g1.listen(8080)
    expect(await probeTcp(world.x, world.host, l1.lease.ip, 8080)).toMatchObject({ result: 'connected' })
    expect(await g1.resolve('seat2')).toEqual([l2.lease.ip])
    expect(await g2.resolve(`seat1.${NET.domain}`)).toEqual([l1.lease.ip])
  })

  it('cannot reach the internet (the control)', async () => {
    expect(await g1.probe(INET4, INET_TCP_PORT, 1000)).not.toMatchObject({ result: 'connected' })
  })

  it('carries guests out once the uplink is back, with nothing restarted', async () => {
    await world.x.ip(world.host, ['link', 'set', UPLINK, 'up'])
    await world.x.ip(world.host, ['route', 'add', 'default', 'via', INET4, 'dev', UPLINK])
    expect(await g1.probe(INET4, INET_TCP_PORT)).toMatchObject({ result: 'connected', reply: `hello ${HOST4}` })
  })
})
