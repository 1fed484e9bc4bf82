/**
 * A real Linux guest (QEMU/TCG, see guest.test.ts) on an `ipv6='lan'` network whose host sits on a
 * Wi-Fi-like LAN (test/netns/support/wifi-lan.ts: an access point dropping and counting foreign
 * source MACs from the host's port, a router announcing 2001:db8:aa::/64, a LAN peer). From inside
 * the guest: an IPv4 lease and NAT, a SLAAC address in the LAN's /64 (its EUI-64), the LAN peer
 * reached over IPv6; from the peer: the guest reached, but no unsolicited TCP connection to it;
 * no frame with the guest's MAC on the access point. One boot. Root only; skips itself otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { normalizePeer, PEER_CGI_PATH } from '../../src-main/sandbox/topology'
import { waitFor } from '../../src-main/sandbox/wait'
import { expectOk } from '../netns/support/guestnet-cli'
import type { HostSnapshot } from '../netns/support/inspect'
import { defineXml, expectNothingLeft, snapshot } from '../netns/support/networks'
import { probeTcp } from '../netns/support/tcp'
import {
  addLanPeer,
  addWlan,
  apFilter,
  connectWlan,
  foreignFrames,
  inPrefix,
  LAN6,
  LAN6_XML,
  makeLan,
  waitForAddress,
  WLAN
} from '../netns/support/wifi-lan'
import type { World } from '../netns/support/world'
import { createWorld, HOST4, INET4 } from '../netns/support/world'
import { bootOnBridge } from './support/boot'
import type { GuestLine, QemuGuest } from './support/qemu-guest'
import { ok } from './support/qemu-guest'
import { qemuReadiness } from './support/requirements'

const ready = await qemuReadiness()
if (ready.skip) console.warn(`QEMU uplink-lan test skipped: ${ready.skip}`)

const NAME = LAN6.name
const BRIDGE = LAN6.bridge
const PREFIX = '2001:db8:aa::/64'
const TAP = 'gntap0'
const MAC = '52:54:00:47:4e:07'
/** The kernel's default EUI-64 interface id from MAC, in the LAN's prefix. */
const GUEST_LAN = '2001:db8:aa:0:5054:ff:fe47:4e07'
const PORT = 8080
const BOOT_TIMEOUT_MS = 90_000

describe.skipIf(ready.skip !== null)(
  `a real Linux guest under QEMU on an ipv6='lan' network${ready.skip ? ` (skipped: ${ready.skip})` : ''}`,
  () => {
    let world: World
    let before: HostSnapshot
    let lan: string
    let peer: string
    let peerAddr: string
    let guest: QemuGuest
    let lease: GuestLine

    beforeAll(async () => {
      world = await createWorld()
      lan = await makeLan(world, 'a', PREFIX)
      peer = await addLanPeer(world, lan)
      await apFilter(world, lan, await addWlan(world, lan))
      await connectWlan(world, lan, PREFIX)
      peerAddr = await waitForAddress(world, peer, 'eth0', PREFIX)
      before = await snapshot(world)
      await defineXml(world, NAME, LAN6_XML)
      expectOk(await world.guestnet(['net-start', NAME]))
      guest = await bootOnBridge(world, ready, {
        bridge: BRIDGE,
        tap: TAP,
        mac: MAC,
        hostname: 'languest',
        timeoutMs: BOOT_TIMEOUT_MS
      })
      lease = await guest.waitFor('LEASE', 1)
    }, BOOT_TIMEOUT_MS + 60_000)

    afterAll(async () => {
      if (guest && !guest.exited()) guest.child.kill('SIGKILL')
      await world?.guestnet(['net-destroy', NAME])
      await world?.dispose()
    })

    it('gets an IPv4 lease and reaches the internet through NAT', async () => {
      expect(lease.fields.ip).toMatch(/^192\.168\.171\./)
      expect(lease.fields.router).toBe(LAN6.gw4)
      // By address: the LAN's router has no IPv6 route to the test's internet, so its name's AAAA would stall.
      const out = ok(await guest.run(`timeout 10 wget -q -O - http://${INET4}${PEER_CGI_PATH}`), 'wget')
      expect(normalizePeer(out.join('\n'))).toBe(HOST4)
    })

    it("gets a SLAAC address in the LAN's /64, its own EUI-64, routed off-link through the host", async () => {
      const lanLine = await guest.waitFor('ADDR', 30_000, (l) => inPrefix(PREFIX)(l.fields.addr))
      const address = lanLine.fields.addr
      const up = (l: GuestLine | undefined): number => Number(l?.fields.up ?? NaN)
      const link = up(guest.lines.find((l) => l.tag === 'LINK'))
      // Beside its address in the network's own ULA /64.
      const ula = up(await guest.waitFor('ADDR', 30_000, (l) => inPrefix(LAN6.ula64)(l.fields.addr)))
      console.info(
        `qemu uplink-lan: guest link up → SLAAC address in ${PREFIX}: ${(up(lanLine) - link).toFixed(1)} s ` +
          `(→ its ULA: ${(ula - link).toFixed(1)} s; guest uptime, TCG)`
      )
      expect(inPrefix(PREFIX)(address)).toBe(true)
      expect(address).toBe(GUEST_LAN)
      // No on-link route for the LAN's prefix: the guest sends the LAN to the host.
      const routes = ok(await guest.run('ip -6 route show'), 'ip -6 route').join('\n')
      expect(routes).not.toContain('2001:db8:aa::/64')
      expect(routes).toMatch(/^default via fe80:/m)
    })

    it('pings the LAN peer, and is reached by it, once net-follow-uplink has seen the guest', async () => {
      const t0 = performance.now()
      // The first packet puts the guest in the network's seen set; its reply needs the proxy entry.
      await guest.run(`ping6 -c 1 -W 2 ${peerAddr}`)
      const follow = expectOk(await world.guestnet(['net-follow-uplink', NAME]))
      expect(follow.stdout).toContain(`guests get addresses in ${PREFIX} from ${WLAN}`)
      expect((await world.x.ip(world.host, ['-6', 'neigh', 'show', 'proxy'])).stdout).toContain(
        `${GUEST_LAN} dev ${WLAN}`
      )
      // The kernel answers a proxied solicitation after up to proxy_delay (0.8 s).
      await waitFor(async () => (await guest.run(`ping6 -c 1 -W 2 ${peerAddr}`)).code === 0, {
        timeoutMs: 15_000,
        intervalMs: 200,
        what: 'a ping6 from the guest to the LAN peer'
      })
      console.info(
        `qemu uplink-lan: guest's first packet → LAN peer answers: ${Math.round(performance.now() - t0)} ms (net-follow-uplink included)`
      )
      expect(
        await world.x.inNs(peer, ['busybox', 'ping6', '-c', '1', '-W', '2', GUEST_LAN], { allowFail: true })
      ).toMatchObject({ code: 0 })
    })

    it('refuses unsolicited TCP from the LAN while the host reaches the listener', async () => {
      ok(await guest.run(`gn-listen ${PORT}`), 'gn-listen')
      expect((await probeTcp(world.x, peer, GUEST_LAN, PORT, 2000)).result).not.toBe('connected')
      // Control: the listener is there, and the host (not the LAN) may connect.
      expect((await probeTcp(world.x, world.host, GUEST_LAN, PORT, 5000)).result).toBe('connected')
      const peers = guest.lines.filter((l) => l.tag === 'PEER').map((l) => l.fields.peer)
      expect(peers).toHaveLength(1)
      expect(peers).not.toContain(peerAddr)
    })

    it('put no frame with a foreign source MAC (the guest’s) on the access point', async () => {
      expect(await foreignFrames(world, lan)).toBe(0)
    })

    it('powers off, and stopping the network leaves nothing behind (no proxy entry either)', async () => {
      expect(await guest.poweroff()).toBe(0)
      await world.x.ip(world.host, ['link', 'del', TAP])
      expectOk(await world.guestnet(['net-destroy', NAME]))
      expect((await world.x.ip(world.host, ['-6', 'neigh', 'show', 'proxy'])).stdout.trim()).toBe('')
      expect((await world.x.ip(world.host, ['-6', 'route', 'show'])).stdout).not.toContain(GUEST_LAN)
      await expectNothingLeft(world, before)
    })
  }
)
