/**
 * IPv6 on a NAT network with a prefix the user gives: SLAAC from router advertisements, ping6 to the
 * gateway, outbound IPv6 routed (the far side sees the guest's own address), and the stateful filter
 * that drops new inbound connections (the protection NAT gives IPv4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { addressOf } from '../../src-main/sandbox/topology'
import { expectOk } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import type { HostSnapshot } from './support/inspect'
import { defineAndStart, expectNothingLeft, snapshot } from './support/networks'
import { cliSkipReason } from './support/requirements'
import { probeTcp } from './support/tcp'
import type { World } from './support/world'
import { createWorld, HOST6, INET6, INET_TCP_PORT } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns IPv6 tests skipped: ${skip}`)

const PREFIX = '2001:db8:42::/64'
const NET = {
  name: 'dual',
  bridge: 'virbr6',
  mode: 'nat',
  ipv4: '192.168.165.1/24',
  ipv6: '2001:db8:42::1/64'
} as const

describe.skipIf(skip !== null)(`IPv6 on a NAT network${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let before: HostSnapshot
  let g1: Guest
  let g2: Guest
  let a1 = ''
  let a2 = ''

  beforeAll(async () => {
    world = await createWorld()
    before = await snapshot(world)
    await defineAndStart(world, NET)
    ;[g1, g2] = await Promise.all([
      world.addGuest({ bridge: NET.bridge, name: 'six1' }),
      world.addGuest({ bridge: NET.bridge, name: 'six2' })
    ])
    // The upstream router routes the prefix to the host, as a delegated prefix would be.
    await world.x.ip(world.inet, ['-6', 'route', 'add', PREFIX, 'via', HOST6])
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NET.name])
    await world?.dispose()
  })

  it('gives guests SLAAC addresses in the prefix', async () => {
    const [s1, s2] = await Promise.all([g1.slaac(PREFIX), g2.slaac(PREFIX)])
    console.info(
      `SLAAC: six1 ${s1.address} after ${s1.ms.toFixed(0)} ms, six2 ${s2.address} after ${s2.ms.toFixed(0)} ms`
    )
    a1 = s1.address
    a2 = s2.address
    expect(a1).toMatch(/^2001:db8:42::?/)
    expect(a1).not.toBe(a2)
  })

  it('answers ping6 from the gateway and between guests', async () => {
    expect(await g1.ping(addressOf(NET.ipv6))).toBe(true)
    expect(await g2.ping(a1)).toBe(true)
  })

  it('routes a guest outbound IPv6 connection: the far side sees the guest address', async () => {
    const seen = world.inetListener.peers.length
    expect(await g1.probe(INET6, INET_TCP_PORT)).toMatchObject({ result: 'connected' })
    expect(world.inetListener.peers.slice(seen)).toEqual([a1])
  })

  it('drops a new inbound IPv6 connection from the internet to a guest', async () => {
    const listener = await g2.listen(8080)
    // Control: the host reaches the listener over IPv6, so the refusal below is the filter's.
    expect(await probeTcp(world.x, world.host, a2, 8080)).toMatchObject({ result: 'connected' })
    const probe = await probeTcp(world.x, world.inet, a2, 8080, 1500)
    expect(probe.result).not.toBe('connected')
    expect(listener.peers).toEqual([addressOf(NET.ipv6)])
  })

  it('still gives IPv4 leases on the same bridge', async () => {
    const { lease } = await g1.dhcp()
    expect(lease.ip).toMatch(/^192\.168\.165\./)
  })

  it('stops and leaves nothing behind', async () => {
    expectOk(await world.guestnet(['net-destroy', NET.name]))
    await expectNothingLeft(world, before, [g1.hostIf, g2.hostIf])
  })
})
