/**
 * Renumbering a running network in place: the bridge (and so every attached guest port) stays,
 * addresses, firewall table and dnsmasq move to the new range; a guest asking to renew its old
 * address is refused (DHCPNAK) and gets one in the new range; a reserved guest keeps its host part;
 * the stored file keeps its comment, UUID and MAC. A failed renumber leaves the network as it was.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { cidrContainsIp, parseCidr } from '../../src-main/core/net/cidr'
import { parseIp } from '../../src-main/core/net/ip'
import type { HelperValue } from '../../src-main/contract/helper-protocol'
import type { DhcpDaemon } from './support/dhcp-daemon'
import { startDhcpDaemon } from './support/dhcp-daemon'
import { expectOk } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import type { HostSnapshot } from './support/inspect'
import { leftovers, snapshotHost } from './support/inspect'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld, INET4 } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns renumber tests skipped: ${skip}`)

const NAME = 'renum'
const BRIDGE = 'virbr8'
const RESERVED_MAC = '52:54:00:8a:00:32'
const OLD = '192.168.160.0/24'
const NEW = '10.160.0.0/24'
const DHCP_REQUEST = fileURLToPath(new URL('./support/dhcp-request.mjs', import.meta.url))

const XML = `<network>
  <name>${NAME}</name>
  <!-- lab network: keep this comment -->
  <forward mode='nat'/>
  <bridge name='${BRIDGE}'/>
  <domain name='renum.test'/>
  <ip address='192.168.160.1' prefix='24'>
    <dhcp>
      <range start='192.168.160.10' end='192.168.160.99'/>
      <host mac='${RESERVED_MAC}' name='fixed' ip='192.168.160.50'/>
    </dhcp>
  </ip>
</network>
`

const inRange =
  (cidr: string) =>
  (ip: string): boolean => {
    const a = parseIp(ip)
    return a !== null && cidrContainsIp(parseCidr(cidr)!, a)
  }

describe.skipIf(skip !== null)(`renumber${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let before: HostSnapshot
  let roamer: Guest
  let fixed: Guest
  let daemon: DhcpDaemon
  let oldIp = ''
  let bridgeIndex = 0
  let uuid = ''

  const ifindex = async (dev: string): Promise<number> =>
    (await world.x.ipJson<{ ifindex: number }[]>(world.host, ['link', 'show', 'dev', dev]))[0].ifindex
  const bridgeAddrs = async (): Promise<string> =>
    (await world.x.ip(world.host, ['-4', 'addr', 'show', 'dev', BRIDGE])).stdout
  const storedXml = (): Promise<string> =>
    readFile(join(world.root, 'etc', 'guestnet', 'networks', `${NAME}.xml`), 'utf8')

  beforeAll(async () => {
    world = await createWorld()
    // dnsmasq reads its dhcp-hostsfile (the reservations) after dropping root: the private temp dir
    // (mkdtemp: 0700) must be traversable, as /run/guestnet is on a real host.
    await chmod(world.dir, 0o755)
    before = await snapshotHost(world.x, world.host, world.root)
    const file = join(world.dir, `${NAME}.xml`)
    await writeFile(file, XML)
    expectOk(await world.guestnet(['net-define', file]))
    expectOk(await world.guestnet(['net-start', NAME]))
    uuid = /<uuid>([^<]+)<\/uuid>/.exec(await storedXml())?.[1] ?? ''
    ;[roamer, fixed] = await Promise.all([
      world.addGuest({ bridge: BRIDGE, name: 'roamer' }),
      world.addGuest({ bridge: BRIDGE, name: 'fixed', mac: RESERVED_MAC })
    ])
    daemon = await startDhcpDaemon(world, roamer)
    oldIp = await daemon.waitBound(inRange(OLD), 0)
    expect((await fixed.dhcp()).lease.ip).toBe('192.168.160.50')
    bridgeIndex = await ifindex(BRIDGE)
  })
  afterAll(async () => {
    daemon?.stop()
    await world?.guestnet(['net-destroy', NAME])
    await world?.dispose()
  })

  it('refuses a target that overlaps the uplink, or that is not a subnet, and changes nothing', async () => {
    const xml = await storedXml()
    const clash = await world.guestnet(['net-renumber', NAME, '--to', '203.0.113.0/24'])
    expect(clash.code).toBe(2)
    expect(clash.stderr).toMatch(/203\.0\.113\.0\/24.*uplink0/)
    const bad = await world.guestnet(['net-renumber', NAME, '--to', '10.160.0.1/24'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/host bits set: did you mean 10\.160\.0\.0\/24/)
    expect(await storedXml()).toBe(xml)
    expect(await bridgeAddrs()).toContain('192.168.160.1/24')
  })

  it('rolls a failed live renumber back: old range running, old definition stored', async () => {
    const xml = await storedXml()
    const run = await world.guestnet(['net-renumber', NAME, '--to', NEW], {
      env: { GUESTNET_HELPER_FAULT: 'fail:firewall' }
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/renumbering network renum failed at step 'firewall'.*runs as before/)
    expect(await storedXml()).toBe(xml)
    expect(await bridgeAddrs()).toContain('192.168.160.1/24')
    expect((await world.x.inNs(world.host, ['nft', 'list', 'table', 'inet', `guestnet_${NAME}`])).stdout).toContain(
      '192.168.160.0/24'
    )
    const status = JSON.parse(expectOk(await world.guestnet(['net-list', '--json'])).stdout) as {
      name: string
      state: string
    }[]
    expect(status.find((n) => n.name === NAME)?.state).toBe('active')
    expect(await roamer.ping('192.168.160.1')).toBe(true)
  })

  it('renumbers live: same bridge and ports, new addresses, table and dnsmasq; says who still holds an old address', async () => {
    const run = expectOk(await world.guestnet(['net-renumber', NAME, '--to', NEW, '--json']))
    console.info(`net-renumber live: ${run.ms.toFixed(0)} ms`)
    const v = JSON.parse(run.stdout) as HelperValue<'renumber'>
    expect(v).toMatchObject({ network: NAME, from: OLD, to: NEW, changed: true, live: true, bridge: BRIDGE })
    expect(v.staleGuests.map((g) => g.ip).sort()).toEqual([oldIp, '192.168.160.50'].sort())
    expect(await ifindex(BRIDGE)).toBe(bridgeIndex)
    const addrs = await bridgeAddrs()
    expect(addrs).toContain('10.160.0.1/24')
    expect(addrs).not.toContain('192.168.160.1')
    for (const g of [roamer, fixed]) {
      const [port] = await world.x.ipJson<{ master?: string }[]>(world.host, ['link', 'show', 'dev', g.hostIf])
      expect(port.master).toBe(BRIDGE)
    }
    const table = (await world.x.inNs(world.host, ['nft', 'list', 'table', 'inet', `guestnet_${NAME}`])).stdout
    expect(table).toContain(NEW)
    expect(table).not.toContain('192.168.160.')
    expect((await world.x.inNs(world.host, ['nft', 'list', 'tables'])).stdout.match(/guestnet_renum/g)).toHaveLength(1)
    const xml = await storedXml()
    expect(xml).toContain('<!-- lab network: keep this comment -->')
    expect(xml).toContain(`<uuid>${uuid}</uuid>`)
    expect(xml).toContain(`<host mac='${RESERVED_MAC}' name='fixed' ip='10.160.0.50'/>`)
    expect(xml).toContain(`<range start='10.160.0.10' end='10.160.0.99'/>`)
    const status = JSON.parse(expectOk(await world.guestnet(['net-list', '--json'])).stdout) as {
      name: string
      state: string
    }[]
    expect(status.find((n) => n.name === NAME)?.state).toBe('active')
  })

  it('refuses a guest that asks to renew its old address (DHCPNAK)', async () => {
    const [link] = await world.x.ipJson<{ address: string }[]>(roamer.ns, ['link', 'show', 'dev', 'eth0'])
    const { stdout } = await world.x.inNs(roamer.ns, [process.execPath, DHCP_REQUEST, link.address, oldIp, '3000'], {
      timeoutMs: 15_000
    })
    const answer = JSON.parse(stdout.trim()) as { answer: string; serverId: string | null; message: string | null }
    console.info(`renew of ${oldIp} after renumber: ${stdout.trim()}`)
    expect(answer.answer).toBe('nak')
    expect(answer.serverId).toBe('10.160.0.1')
  })

  it("moves the guest on its renewal: udhcpc's renew is refused, it starts over in the new range", async () => {
    const seen = (await daemon.events()).length
    const started = performance.now()
    daemon.renew()
    const ip = await daemon.waitBound(inRange(NEW), seen, 30_000)
    console.info(`roamer: ${oldIp} -> ${ip} in ${(performance.now() - started).toFixed(0)} ms after SIGUSR1`)
    const events = (await daemon.events()).slice(seen).map((e) => e.event)
    // The old lease is given up (deconfig) before the new one: the client started over.
    expect(events).toContain('deconfig')
    expect(await roamer.ping('10.160.0.1')).toBe(true)
    expect(await roamer.fetch(`http://${INET4}/`)).toContain('203.0.113.0/24')
  })

  it('gives the reserved guest its reservation in the new range (host part kept)', async () => {
    expect((await fixed.dhcp()).lease.ip).toBe('10.160.0.50')
  })

  it('lists the new leases, and the old ones are gone', async () => {
    const text = expectOk(await world.guestnet(['net-dhcp-leases', NAME, '--json'])).stdout
    expect(text).toContain('10.160.0.50')
    expect(text).not.toContain(oldIp)
  })

  it('renumbers a stopped network in the store only, and it starts in the new range', async () => {
    expectOk(await world.guestnet(['net-destroy', NAME]))
    const v = JSON.parse(
      expectOk(await world.guestnet(['net-renumber', NAME, '--json'])).stdout
    ) as HelperValue<'renumber'>
    expect(v).toMatchObject({ from: NEW, live: false, changed: true })
    expect(v.to).not.toBe(NEW)
    expectOk(await world.guestnet(['net-start', NAME]))
    expect(await bridgeAddrs()).toContain(`${v.to.split('/')[0].replace(/0$/, '1')}/24`)
    expectOk(await world.guestnet(['net-destroy', NAME]))
    daemon.stop()
    await Promise.all([roamer.remove(), fixed.remove()])
    expect(leftovers(before, await snapshotHost(world.x, world.host, world.root))).toEqual([])
  })
})
