/**
 * `ipv6='lan'` on a Wi-Fi-like LAN: guests get addresses in the uplink's own /64 while IPv4 stays
 * NATed, and every frame the host puts on the LAN carries the host's MAC.
 *
 *   guest ── virbr7 (host) ── wlan0 ═╤═ ap0 (LAN "a", the access point) ─┬─ router-a (RA 2001:db8:aa::/64)
 *                                    │                                   └─ peer   (SLAAC)
 *                                    └─ after the roam: ap1 (LAN "b") ─── router-b (RA 2001:db8:bb::/64)
 *
 * The access point is a bridge whose nft `bridge` table drops (and counts) every frame from the
 * host's port whose source MAC is not the host's: an access point without 4-address mode. A
 * macvlan on the host's uplink (what an L2 bridge or macvtap of the uplink amounts to) is the
 * control: its frames are counted and dropped.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { nsSysctl } from '../../src-main/sandbox/topology'
import { waitFor } from '../../src-main/sandbox/wait'
import { expectOk } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import { startService } from './support/helper-direct'
import { cliSkipReason } from './support/requirements'
import { probeTcp } from './support/tcp'
import {
  addLanPeer,
  addWlan,
  apFilter,
  connectWlan,
  foreignFrames,
  inPrefix,
  ip6Addrs,
  LAN6,
  LAN6_XML,
  makeLan,
  plugHost,
  waitForAddress,
  WLAN
} from './support/wifi-lan'
import type { World } from './support/world'
import { createWorld, HOST4, INET4, INET_TCP_PORT } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns uplink-lan tests skipped: ${skip}`)

const NAME = LAN6.name
const BRIDGE = LAN6.bridge
const PREFIX_A = '2001:db8:aa::/64'
const PREFIX_B = '2001:db8:bb::/64'
const GUEST_PORT = 8022

describe.skipIf(skip !== null)(`ipv6='lan' on a Wi-Fi-like LAN${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let lanA: string
  let lanB: string
  let peer: string
  let guest: Guest
  let guestA: string

  beforeAll(async () => {
    world = await createWorld()
    lanA = await makeLan(world, 'a', PREFIX_A)
    lanB = await makeLan(world, 'b', PREFIX_B)
    peer = await addLanPeer(world, lanA)
    const hostMac = await addWlan(world, lanA)
    await apFilter(world, lanA, hostMac)
    await apFilter(world, lanB, hostMac)
    await connectWlan(world, lanA, PREFIX_A)
    const file = join(world.dir, `${NAME}.xml`)
    await writeFile(file, LAN6_XML)
    expectOk(await world.guestnet(['net-define', file]))
    expectOk(await world.guestnet(['net-start', NAME]))
    guest = await world.addGuest({ bridge: BRIDGE, name: 'lan-vm' })
    await guest.dhcp()
  }, 90_000)

  afterAll(async () => {
    await world?.dispose()
  })

  it("gives the guest an address in the LAN's prefix by SLAAC, beside its ULA; IPv4 stays NATed", async () => {
    const { address, ms } = await guest.slaac(PREFIX_A)
    guestA = address
    console.log(`uplink-lan: guest attached → SLAAC address in ${PREFIX_A}: ${Math.round(ms)} ms`)
    expect(await guest.slaac(LAN6.ula64)).toBeTruthy()
    expect(guest.lease?.ip).toMatch(/^192\.168\.171\./)
    // IPv4 is NATed as before: the internet sees the host's uplink address.
    expect(await guest.probe(INET4, INET_TCP_PORT)).toMatchObject({ result: 'connected', reply: `hello ${HOST4}` })
    // Off-link: the guest sends the LAN to the host (no on-link route for the LAN's prefix).
    const routes = (await world.x.ip(guest.ns, ['-6', 'route', 'show'])).stdout
    expect(routes).not.toContain('2001:db8:aa::/64')
  })

  it('makes the guest reachable from the LAN once it has spoken (proxy entry and /128 route)', async () => {
    const peerAddr = await waitForAddress(world, peer, 'eth0', PREFIX_A)
    const t0 = performance.now()
    // Its first packet is forwarded and puts it in lan_seen; the reply needs the proxy entry, so
    // until the host answers for it the LAN cannot reach it.
    await guest.ping(peerAddr, 1)
    const before = await world.x.inNs(peer, ['busybox', 'ping6', '-c', '1', '-W', '1', guestA], { allowFail: true })
    expect(before.code).not.toBe(0)
    const follow = await world.guestnet(['net-follow-uplink', NAME])
    expectOk(follow)
    expect(follow.stdout).toContain(`guests get addresses in ${PREFIX_A} from ${WLAN}`)
    const neigh = (await world.x.ip(world.host, ['-6', 'neigh', 'show', 'proxy'])).stdout
    expect(neigh).toContain(`${guestA} dev ${WLAN}`)
    expect((await world.x.ip(world.host, ['-6', 'route', 'show', `${guestA}/128`])).stdout).toContain(`dev ${BRIDGE}`)
    // The peer's failed lookup above is retried by its next packet; the kernel answers a proxied
    // solicitation after up to proxy_delay (0.8 s).
    await waitFor(() => guest.ping(peerAddr, 1), { timeoutMs: 8000, what: 'a ping from the guest to the LAN peer' })
    console.log(`uplink-lan: guest's first packet → reachable from the LAN: ${Math.round(performance.now() - t0)} ms`)
    expect(
      await world.x.inNs(peer, ['busybox', 'ping6', '-c', '1', '-W', '2', guestA], { allowFail: true })
    ).toMatchObject({ code: 0 })
    expect(
      await world.x.inNs(world.host, ['busybox', 'ping6', '-c', '1', '-W', '2', guestA], { allowFail: true })
    ).toMatchObject({ code: 0 })
    const info = await world.guestnet(['net-info', NAME])
    expect(info.stdout).toContain(`guests get addresses in ${PREFIX_A} from ${WLAN}; 1 reachable from the LAN`)
  })

  it('drops an unsolicited TCP connection from the LAN to the guest (the stateful filter)', async () => {
    const listener = await guest.listen(GUEST_PORT)
    const r = await probeTcp(world.x, peer, guestA, GUEST_PORT, 1500)
    expect(r.result).not.toBe('connected')
    expect(listener.peers).toEqual([])
    // The host itself may connect (it is not the LAN).
    expect((await probeTcp(world.x, world.host, guestA, GUEST_PORT, 1500)).result).toBe('connected')
  })

  it('put no frame with a foreign source MAC on the access point', async () => {
    expect(await foreignFrames(world, lanA)).toBe(0)
  })

  it('control: a macvlan on the uplink (an L2 bridge of it) is dropped and counted by the access point', async () => {
    const { x, host } = world
    await x.ip(host, ['link', 'add', 'mv0', 'link', WLAN, 'type', 'macvlan', 'mode', 'bridge'])
    await nsSysctl(x, host, 'net.ipv6.conf.mv0.accept_ra', '0')
    await x.ip(host, ['addr', 'add', '2001:db8:aa::99/128', 'dev', 'mv0', 'nodad'])
    await x.ip(host, ['link', 'set', 'mv0', 'up'])
    const peerAddr = (await ip6Addrs(world, peer, 'eth0')).find((a) => inPrefix(PREFIX_A)(a.address))?.address ?? ''
    const r = await x.inNs(host, ['busybox', 'ping6', '-c', '2', '-W', '1', '-I', 'mv0', peerAddr], { allowFail: true })
    await x.ip(host, ['link', 'del', 'mv0'])
    expect(r.code).not.toBe(0)
    expect(await foreignFrames(world, lanA)).toBeGreaterThan(0)
  })

  it('the guardian of the warm service makes a new guest reachable from the LAN without a request', async () => {
    const { x, host } = world
    let log = ''
    const service = await startService(world, (d) => (log += d))
    try {
      const second = await world.addGuest({ bridge: BRIDGE, name: 'lan-vm2' })
      const { address } = await second.slaac(PREFIX_A)
      const peerAddr = (await ip6Addrs(world, peer, 'eth0')).find((a) => inPrefix(PREFIX_A)(a.address))?.address ?? ''
      const t0 = performance.now()
      await second.ping(peerAddr, 1)
      await waitFor(
        async () =>
          (await x.inNs(peer, ['busybox', 'ping6', '-c', '1', '-W', '1', address], { allowFail: true })).code === 0,
        { timeoutMs: 15_000, intervalMs: 200, what: 'the LAN peer reaching the second guest' }
      )
      console.log(
        `uplink-lan: new guest's first packet → reachable from the LAN by the guardian: ${Math.round(performance.now() - t0)} ms`
      )
      expect((await x.ip(host, ['-6', 'neigh', 'show', 'proxy'])).stdout).toContain(address)
      expect(log).toContain(`guardian: network ${NAME}: guests get addresses in ${PREFIX_A}`)
      // The guardian does not take the network's table for drifted because of the guests it has seen.
      expect(log).not.toMatch(/restored|were changed/)
    } finally {
      service.kill('SIGTERM')
      await waitFor(async () => service.exitCode !== null || service.signalCode !== null, {
        timeoutMs: 10_000,
        what: 'the service to stop'
      })
    }
  })

  it('roams to a second LAN: the guest gets an address in the new prefix and the old one is deprecated', async () => {
    const { x, host } = world
    // The laptop leaves access point a for b: the link goes down (the kernel drops its SLAAC
    // addresses and RA routes) and comes up on the other LAN.
    await x.ip(host, ['link', 'set', WLAN, 'down'])
    // Offline in between: the network falls back to its ULA and says so.
    const offline = await world.guestnet(['net-follow-uplink', NAME])
    expectOk(offline)
    expect(offline.stdout).toContain(
      "no uplink prefix (the network's own IPv6 only) (moved; the old prefix is deprecated)"
    )
    expect((await world.guestnet(['net-info', NAME])).stdout).toContain('the uplink offers no IPv6 prefix')
    await x.ip(lanA, ['link', 'set', 'hp', 'netns', lanB])
    await plugHost(world, lanB)
    const t0 = performance.now()
    await x.ip(host, ['link', 'set', WLAN, 'up'])
    await waitForAddress(world, host, WLAN, PREFIX_B)
    const tHost = performance.now()
    const follow = await world.guestnet(['net-follow-uplink', NAME])
    expectOk(follow)
    expect(follow.stdout).toContain(`guests get addresses in ${PREFIX_B} from ${WLAN} (moved`)
    const guestB = await waitFor(
      async () => (await ip6Addrs(world, guest.ns, 'eth0')).find((a) => inPrefix(PREFIX_B)(a.address) && !a.tentative),
      {
        timeoutMs: 15_000,
        intervalMs: 50,
        what: `the guest's address in ${PREFIX_B}`
      }
    )
    const tGuest = performance.now()
    console.log(
      `uplink-lan: roam: link up → host has ${PREFIX_B}: ${Math.round(tHost - t0)} ms; → guest has an address in it: ${Math.round(tGuest - t0)} ms (${Math.round(tGuest - tHost)} ms after the host)`
    )
    const old = (await ip6Addrs(world, guest.ns, 'eth0')).find((a) => a.address === guestA)
    expect(old?.deprecated).toBe(true)
    expect(guestB.deprecated).toBeUndefined()
    // The old prefix's proxy entries and routes are gone.
    expect((await x.ip(host, ['-6', 'neigh', 'show', 'proxy'])).stdout).not.toContain(guestA)
    expect((await x.ip(host, ['-6', 'route', 'show'])).stdout).not.toContain(guestA)
    expect(await foreignFrames(world, lanB)).toBe(0)
  })

  it('stops leaving no proxy entry, route or address of the LAN prefixes behind', async () => {
    const { x, host } = world
    // A guest address of the new prefix is answered for before the stop.
    const guestB = (await ip6Addrs(world, guest.ns, 'eth0')).find((a) => inPrefix(PREFIX_B)(a.address))?.address ?? ''
    await guest.ping('2001:db8:bb::1', 1)
    expectOk(await world.guestnet(['net-follow-uplink', NAME]))
    expect((await x.ip(host, ['-6', 'neigh', 'show', 'proxy'])).stdout).toContain(guestB)
    expectOk(await world.guestnet(['net-destroy', NAME]))
    expect((await x.ip(host, ['-6', 'neigh', 'show', 'proxy'])).stdout.trim()).toBe('')
    const routes = (await x.ip(host, ['-6', 'route', 'show'])).stdout
    expect(routes).not.toContain(guestB)
    expect(routes).not.toContain(BRIDGE)
    expect((await x.ip(host, ['link', 'show'])).stdout).not.toContain(BRIDGE)
    expect((await x.inNs(host, ['busybox', 'sysctl', '-n', 'net.ipv6.conf.all.proxy_ndp'])).stdout.trim()).toBe('0')
  })

  it('reconcile after a crash (the bridge gone, the journal left) removes the proxy entries too', async () => {
    const { x, host } = world
    expectOk(await world.guestnet(['net-start', NAME]))
    await x.ip(host, ['link', 'set', guest.hostIf, 'master', BRIDGE])
    const guestB = (await ip6Addrs(world, guest.ns, 'eth0')).find((a) => inPrefix(PREFIX_B)(a.address) && !a.deprecated)
    expect(guestB).toBeTruthy()
    // One packet out (its reply needs the proxy entry) is enough to be heard from.
    await guest.ping('2001:db8:bb::1', 1)
    expectOk(await world.guestnet(['net-follow-uplink', NAME]))
    expect((await x.ip(host, ['-6', 'neigh', 'show', 'proxy'])).stdout).toContain(guestB?.address)
    // What a crash of the machine's network stack leaves: the bridge gone, the journal still there.
    await x.ip(host, ['link', 'del', BRIDGE])
    expectOk(await world.guestnet(['reconcile', NAME]))
    expect((await x.ip(host, ['-6', 'neigh', 'show', 'proxy'])).stdout.trim()).toBe('')
    expect((await x.inNs(host, ['busybox', 'sysctl', '-n', 'net.ipv6.conf.all.proxy_ndp'])).stdout.trim()).toBe('0')
  })
})
