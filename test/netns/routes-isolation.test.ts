/**
 * <route> and <port isolated='yes'/> for real: a static route through a guest that routes, and a
 * network whose guests reach the host but not each other.
 */
import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectOk } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import type { HostSnapshot } from './support/inspect'
import { defineXml, expectNothingLeft, snapshot } from './support/networks'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns routes/isolation tests skipped: ${skip}`)

const ROUTER_MAC = '52:54:00:65:00:50'
const ROUTES_XML = `<network>
  <name>routes1</name>
  <forward mode='nat'/>
  <bridge name='virbr5'/>
  <ip address='192.168.165.1' prefix='24'>
    <dhcp>
      <range start='192.168.165.10' end='192.168.165.40'/>
      <host mac='${ROUTER_MAC}' name='router' ip='192.168.165.50'/>
    </dhcp>
  </ip>
  <ip family='ipv6' address='fd42:165::1' prefix='64'/>
  <route address='10.165.0.0' prefix='24' gateway='192.168.165.50' metric='20'/>
  <route family='ipv6' address='fd42:1650::' prefix='64' gateway='fd42:165::50'/>
</network>
`

const ISOLATED_XML = `<network>
  <name>isoports1</name>
  <forward mode='nat'/>
  <bridge name='virbr6'/>
  <port isolated='yes'/>
  <ip address='192.168.166.1' prefix='24'>
    <dhcp>
      <range start='192.168.166.10' end='192.168.166.40'/>
    </dhcp>
  </ip>
</network>
`

interface RouteRow {
  dst: string
  gateway?: string
  dev?: string
  metric?: number
}

describe.skipIf(skip !== null)(`static routes and isolated ports${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let before: HostSnapshot

  beforeAll(async () => {
    world = await createWorld()
    before = await snapshot(world)
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', 'routes1'])
    await world?.guestnet(['net-destroy', 'isoports1'])
    await world?.dispose()
  })

  describe('<route> through a guest', () => {
    let router: Guest

    beforeAll(async () => {
      // dnsmasq (not root) must be able to enter the private root to read the router's reservation.
      await chmod(world.dir, 0o711)
      await defineXml(world, 'routes1', ROUTES_XML)
      expectOk(await world.guestnet(['net-start', 'routes1']))
      router = await world.addGuest({ bridge: 'virbr5', name: 'router', mac: ROUTER_MAC })
      await router.dhcp()
      // The guest's own lab networks behind it, as addresses on its loopback: 10.165.0.1, fd42:1650::1.
      await world.x.ip(router.ns, ['address', 'add', 'fd42:165::50/64', 'dev', 'eth0', 'nodad'])
      await world.x.ip(router.ns, ['link', 'set', 'lo', 'up'])
      await world.x.ip(router.ns, ['address', 'add', '10.165.0.1/32', 'dev', 'lo'])
      await world.x.ip(router.ns, ['address', 'add', 'fd42:1650::1/128', 'dev', 'lo', 'nodad'])
    })

    it('the host has both routes, via the guest, on the bridge, with the metric', async () => {
      expect(router.lease?.ip).toBe('192.168.165.50')
      const v4 = await world.x.ipJson<RouteRow[]>(world.host, ['route', 'show', '10.165.0.0/24'])
      expect(v4).toEqual([
        expect.objectContaining({ dst: '10.165.0.0/24', gateway: '192.168.165.50', dev: 'virbr5', metric: 20 })
      ])
      const v6 = await world.x.ipJson<RouteRow[]>(world.host, ['-6', 'route', 'show', 'fd42:1650::/64'])
      expect(v6).toEqual([expect.objectContaining({ dst: 'fd42:1650::/64', gateway: 'fd42:165::50', dev: 'virbr5' })])
    })

    it('traffic to the destination goes through the guest gateway and is answered', async () => {
      const get = await world.x.ip(world.host, ['route', 'get', '10.165.0.1'])
      expect(get.stdout).toMatch(/via 192\.168\.165\.50 dev virbr5/)
      const ping4 = await world.x.inNs(world.host, ['busybox', 'ping', '-c', '1', '-W', '2', '10.165.0.1'], {
        allowFail: true
      })
      expect(ping4.code).toBe(0)
      const ping6 = await world.x.inNs(world.host, ['busybox', 'ping', '-6', '-c', '1', '-W', '2', 'fd42:1650::1'], {
        allowFail: true
      })
      expect(ping6.code).toBe(0)
      // Not a fluke of some other path: once the guest no longer holds the address, no answer.
      await world.x.ip(router.ns, ['address', 'del', '10.165.0.1/32', 'dev', 'lo'])
      const gone = await world.x.inNs(world.host, ['busybox', 'ping', '-c', '1', '-W', '1', '10.165.0.1'], {
        allowFail: true
      })
      expect(gone.code).not.toBe(0)
    })

    it('net-destroy takes the routes away with the bridge', async () => {
      expectOk(await world.guestnet(['net-destroy', 'routes1']))
      expect(await world.x.ipJson<RouteRow[]>(world.host, ['route', 'show', '10.165.0.0/24'])).toEqual([])
      expect(await world.x.ipJson<RouteRow[]>(world.host, ['-6', 'route', 'show', 'fd42:1650::/64'])).toEqual([])
      await router.remove()
      await expectNothingLeft(world, before)
    })
  })

  describe("<port isolated='yes'/>", () => {
    let bridgeMeta = false
    let beforeIsolated: HostSnapshot

    beforeAll(async () => {
      beforeIsolated = await snapshot(world)
      // Port isolation needs the kernel's nft bridge meta keys (CONFIG_NFT_BRIDGE_META).
      const probe = join(world.dir, 'bridge-meta-probe.nft')
      await writeFile(
        probe,
        'table bridge gn_probe {\n\tchain f {\n\t\ttype filter hook forward priority 0;\n\t\tmeta ibrname "x" drop\n\t}\n}\n'
      )
      bridgeMeta = (await world.x.inNs(world.host, ['nft', '-c', '-f', probe], { allowFail: true })).code === 0
      if (!bridgeMeta)
        console.warn(
          'this kernel has no nft bridge meta (CONFIG_NFT_BRIDGE_META): checking that the network refuses to start'
        )
      await defineXml(world, 'isoports1', ISOLATED_XML)
    })

    it('guests reach the host but not each other (or, without kernel support, the network does not start)', async () => {
      const start = await world.guestnet(['net-start', 'isoports1'])
      if (!bridgeMeta) {
        // The kernel's per-port flag instead; later ports get it from the service's guardian.
        expectOk(start)
        expect(`${start.stdout}${start.stderr}`).toMatch(/per-port flag/)
        expectOk(await world.guestnet(['net-destroy', 'isoports1']))
        await expectNothingLeft(world, beforeIsolated)
        return
      }
      expectOk(start)
      const tables = (await world.x.inNs(world.host, ['nft', 'list', 'tables'])).stdout
      expect(tables).toContain('table inet guestnet_isoports1')
      expect(tables).toContain('table bridge guestnet_isoports1')
      const [g1, g2] = await Promise.all([
        world.addGuest({ bridge: 'virbr6', name: 'iso1' }),
        world.addGuest({ bridge: 'virbr6', name: 'iso2' })
      ])
      await Promise.all([g1.dhcp(), g2.dhcp()])
      expect(g1.lease?.ip).toMatch(/^192\.168\.166\./)
      expect(g2.lease?.ip).toMatch(/^192\.168\.166\./)
      expect(await g1.ping('192.168.166.1')).toBe(true)
      expect(await g2.ping('192.168.166.1')).toBe(true)
      expect(await g1.ping(g2.lease?.ip ?? '', 1)).toBe(false)
      expect(await g2.ping(g1.lease?.ip ?? '', 1)).toBe(false)
      // A port that joins later is isolated as well.
      const g3 = await world.addGuest({ bridge: 'virbr6', name: 'iso3' })
      await g3.dhcp()
      expect(await g3.ping('192.168.166.1')).toBe(true)
      expect(await g3.ping(g1.lease?.ip ?? '', 1)).toBe(false)
      expectOk(await world.guestnet(['net-destroy', 'isoports1']))
      const after = (await world.x.inNs(world.host, ['nft', 'list', 'tables'])).stdout
      expect(after).not.toContain('guestnet_isoports1')
      for (const g of [g1, g2, g3]) await g.remove()
      await expectNothingLeft(world, beforeIsolated)
    })
  })
})
