/**
 * NAT mode end to end: guestnet started with the CLI in a host namespace, guests with a real DHCP client,
 * the internet namespace behind the uplink. Then stop, and nothing is left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { addressOf, INTERNET_NAME } from '../../src-main/sandbox/topology'
import { expectOk } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import type { HostSnapshot } from './support/inspect'
import { leftovers, snapshotHost } from './support/inspect'
import { writeNetworkXml } from './support/network-xml'
import { cliSkipReason } from './support/requirements'
import { probeTcp } from './support/tcp'
import type { World } from './support/world'
import { createWorld, HOST4, INET4, INET_TCP_PORT } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns NAT tests skipped: ${skip}`)

const NET = { name: 'natnet', bridge: 'virbr7', mode: 'nat', ipv4: '192.168.150.1/24', domain: 'nat.test' } as const

describe.skipIf(skip !== null)(`NAT network${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let before: HostSnapshot
  let g1: Guest
  let g2: Guest

  beforeAll(async () => {
    world = await createWorld()
    before = await snapshotHost(world.x, world.host, world.root)
    const file = await writeNetworkXml(world.dir, NET)
    expectOk(await world.guestnet(['net-define', file]))
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NET.name])
    await world?.dispose()
  })

  it('starts: bridge up with the gateway address, a table, dnsmasq running', async () => {
    const run = expectOk(await world.guestnet(['net-start', NET.name]))
    console.info(`net-start ${NET.name}: ${run.ms.toFixed(0)} ms`)
    const now = await snapshotHost(world.x, world.host, world.root)
    expect(now.bridges).toContain(NET.bridge)
    expect(now.tables.length).toBeGreaterThan(before.tables.length)
    expect(now.processes.some((p) => p.endsWith(' dnsmasq'))).toBe(true)
    const addr = await world.x.ip(world.host, ['-4', 'addr', 'show', 'dev', NET.bridge])
    expect(addr.stdout).toContain(NET.ipv4)
    expect(now.sysctls['net.ipv4.ip_forward']).toBe('1')
  })

  it('says so when the network is already running, and changes nothing', async () => {
    const snap = await snapshotHost(world.x, world.host, world.root)
    const again = await world.guestnet(['net-start', NET.name])
    expect(`${again.stdout}${again.stderr}`).toMatch(/already|running|active/i)
    expect(await snapshotHost(world.x, world.host, world.root)).toEqual(snap)
  })

  it('gives two guests leases in the range, with the gateway as router and DNS', async () => {
    ;[g1, g2] = await Promise.all([
      world.addGuest({ bridge: NET.bridge, name: 'alpha' }),
      world.addGuest({ bridge: NET.bridge, name: 'bravo' })
    ])
    const [l1, l2] = await Promise.all([g1.dhcp(), g2.dhcp()])
    console.info(
      `leases: alpha ${l1.lease.ip} in ${l1.ms.toFixed(0)} ms, bravo ${l2.lease.ip} in ${l2.ms.toFixed(0)} ms`
    )
    for (const { lease } of [l1, l2]) {
      expect(lease.ip).toMatch(/^192\.168\.150\.(1\d|[2-9]\d)$/)
      expect(lease.prefix).toBe(24)
      expect(lease.routers).toEqual([addressOf(NET.ipv4)])
      expect(lease.dns).toEqual([addressOf(NET.ipv4)])
    }
    expect(l1.lease.ip).not.toBe(l2.lease.ip)
  })

  it('lists the leases with the guests hostnames', async () => {
    const run = expectOk(await world.guestnet(['net-dhcp-leases', NET.name, '--json']))
    const text = run.stdout
    expect(text).toContain(g1.lease?.ip)
    expect(text).toContain('alpha')
    expect(text).toContain(g2.lease?.ip)
    expect(text).toContain('bravo')
  })

  it('lets guests reach the gateway and each other', async () => {
    expect(await g1.ping(addressOf(NET.ipv4))).toBe(true)
    expect(await g1.ping(g2.lease?.ip ?? '')).toBe(true)
    expect(await g2.ping(g1.lease?.ip ?? '')).toBe(true)
  })

  it('resolves guest names through the network DNS, plain and with the domain', async () => {
    expect(await g1.resolve('bravo')).toEqual([g2.lease?.ip])
    expect(await g2.resolve(`alpha.${NET.domain}`)).toEqual([g1.lease?.ip])
    // A name in the network's own domain that no guest has: answered at once (NXDOMAIN), not forwarded.
    expect(await g1.resolve(`nosuchguest.${NET.domain}`)).toEqual([])
  })

  it('forwards other names to the host upstream resolver', async () => {
    expect(await g1.resolve(INTERNET_NAME)).toEqual([INET4])
  })

  it('reaches the internet through NAT: the far side sees the uplink address', async () => {
    expect(await g1.fetch(`http://${INET4}/`)).toContain('203.0.113.0/24')
    const seen = world.inetListener.peers.length
    const probe = await g2.probe(INET4, INET_TCP_PORT)
    expect(probe).toMatchObject({ result: 'connected', reply: `hello ${HOST4}` })
    expect(world.inetListener.peers.slice(seen)).toEqual([HOST4])
  })

  it('does not let the internet open connections to a guest', async () => {
    const guestIp = g1.lease?.ip ?? ''
    const listener = await g1.listen(8080)
    // Control: the host itself reaches the listener, so a failure below is the firewall's doing.
    expect(await probeTcp(world.x, world.host, guestIp, 8080)).toMatchObject({ result: 'connected' })
    await world.x.ip(world.inet, ['route', 'add', '192.168.150.0/24', 'via', HOST4])
    const probe = await probeTcp(world.x, world.inet, guestIp, 8080, 1500)
    expect(probe.result).not.toBe('connected')
    expect(listener.peers).toEqual([addressOf(NET.ipv4)])
  })

  it('stops and leaves nothing behind', async () => {
    const run = expectOk(await world.guestnet(['net-destroy', NET.name]))
    console.info(`net-destroy ${NET.name}: ${run.ms.toFixed(0)} ms`)
    const after = await snapshotHost(world.x, world.host, world.root)
    // The guests' veth ends stay (they belong to the guests), detached from the gone bridge.
    const guestPorts = [g1.hostIf, g2.hostIf]
    expect(leftovers(before, after).filter((l) => !guestPorts.some((p) => l === `link ${p}`))).toEqual([])
    expect(after.bridges).not.toContain(NET.bridge)
  })
})
