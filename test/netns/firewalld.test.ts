/**
 * `<bridge zone>` and guestnet's firewalld zone with a real firewalld (Debian's, unpacked, running in
 * the host namespace on a bus of the test's own: support/firewalld.ts). firewalld filters by zone: a
 * bridge in no zone falls into the default zone, `public`, which refuses DHCP from guests. The control
 * shows that; then guestnet puts its bridges in a zone that lets guests in.
 */
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectOk } from './support/guestnet-cli'
import { serviceArgv } from './support/helper-direct'
import type { FirewalldHost } from './support/firewalld'
import { firewalldSkipReason, startFirewalld } from './support/firewalld'
import type { HostSnapshot } from './support/inspect'
import { leftoversSince, snapshot } from './support/networks'
import { cliSkipReason, REPO } from './support/requirements'
import { startTcpListener } from './support/tcp'
import type { World } from './support/world'
import { createWorld, INET4, INET_TCP_PORT } from './support/world'
import { writeFile } from 'node:fs/promises'

const skip = cliSkipReason() ?? firewalldSkipReason()
if (skip) console.warn(`netns firewalld tests skipped: ${skip}`)

const ZONE_FILE = join(REPO, 'packaging', 'guestnet-firewalld-zone.xml')
/** A TCP port the host listens on that no zone here serves. */
const HOST_PORT = 7788

const networkXml = (name: string, bridge: string, third: number, zone?: string): string => `<network>
  <name>${name}</name>
  <forward mode='nat'/>
  <bridge name='${bridge}'${zone ? ` zone='${zone}'` : ''}/>
  <ip address='192.168.${third}.1' prefix='24'>
    <dhcp><range start='192.168.${third}.10' end='192.168.${third}.40'/></dhcp>
  </ip>
</network>
`

describe.skipIf(skip !== null)(`firewalld zones${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let fw: FirewalldHost
  let before: HostSnapshot
  /** Another namespace of ours, made before the mount namespace so that its /run/netns shows it. */
  let other: string
  const gn = (args: readonly string[]) => world.guestnet(args, { wrap: fw.wrap })
  const define = async (name: string, xml: string): Promise<void> => {
    const file = join(world.dir, `${name}.xml`)
    await writeFile(file, xml)
    expectOk(await gn(['net-define', file]))
  }

  beforeAll(async () => {
    world = await createWorld()
    other = await world.newNamespace('o')
    fw = await startFirewalld(world, { zoneFile: ZONE_FILE })
    await startTcpListener(world.spawn, world.host, HOST_PORT)
    before = await snapshot(world)
  }, 120_000)

  afterAll(async () => {
    await fw?.stop()
    await world?.dispose()
  })

  it("firewalld has guestnet's zone, and its default zone refuses DHCP (the control)", async () => {
    expect(await fw.zoneCall('getZones')).toContain('guestnet')
    await define('fwnone', networkXml('fwnone', 'virbr41', 141))
    // Started outside the test's mount namespace, guestnet sees no firewalld: the bridge stays in no zone.
    expectOk(await world.guestnet(['net-start', 'fwnone']))
    expect(await fw.zoneOf('virbr41')).toBe('')
    const g = await world.addGuest({ bridge: 'virbr41', name: 'fwctl' })
    await expect(g.dhcp(4000)).rejects.toThrow(/no DHCP lease/)
    expectOk(await world.guestnet(['net-destroy', 'fwnone']))
    await g.remove()
  }, 60_000)

  it("with no <bridge zone>, the bridge goes in guestnet's zone: guests get DHCP and the internet, not the host's other ports", async () => {
    await define('fwdef', networkXml('fwdef', 'virbr42', 142))
    const start = expectOk(await gn(['net-start', 'fwdef']))
    expect(start.stdout + start.stderr).not.toMatch(/firewalld is not running/)
    expect(await fw.zoneOf('virbr42')).toBe('guestnet')
    const g = await world.addGuest({ bridge: 'virbr42', name: 'fwg1' })
    expect((await g.dhcp()).lease.ip).toMatch(/^192\.168\.142\./)
    expect((await g.probe(INET4, INET_TCP_PORT)).result).toBe('connected')
    expect((await g.probe('192.168.142.1', HOST_PORT)).result).not.toBe('connected')
    expectOk(await gn(['net-destroy', 'fwdef']))
    expect(await fw.zoneOf('virbr42')).toBe('')
    expect(await fw.zoneCall('getActiveZones').catch(() => [])).not.toContain('guestnet')
    await g.remove()
  }, 60_000)

  it("<bridge zone='trusted'>: the bridge goes in that zone (the host's ports open to guests too)", async () => {
    await define('fwtrust', networkXml('fwtrust', 'virbr43', 143, 'trusted'))
    expectOk(await gn(['net-start', 'fwtrust']))
    expect(await fw.zoneOf('virbr43')).toBe('trusted')
    const g = await world.addGuest({ bridge: 'virbr43', name: 'fwg2' })
    expect((await g.dhcp()).lease.ip).toMatch(/^192\.168\.143\./)
    expect((await g.probe('192.168.143.1', HOST_PORT)).result).toBe('connected')
    expectOk(await gn(['net-destroy', 'fwtrust']))
    expect(await fw.zoneOf('virbr43')).toBe('')
    await g.remove()
  }, 60_000)

  it('a zone firewalld does not have: start refused naming bridge.zone, nothing changed', async () => {
    await define('fwbad', networkXml('fwbad', 'virbr44', 144, 'nosuchzone'))
    const start = await gn(['net-start', 'fwbad'])
    expect(start.code).not.toBe(0)
    expect(start.stderr + start.stdout).toMatch(/bridge\.zone/)
    expect(start.stderr + start.stdout).toMatch(/no zone 'nosuchzone'/)
    expect(await fw.zoneOf('virbr44')).toBe('')
  }, 30_000)

  it('without firewalld the zone is not applied, and start says so', async () => {
    const start = expectOk(await world.guestnet(['net-start', 'fwtrust']))
    expect(start.stdout + start.stderr).toMatch(/firewalld is not running: bridge virbr43 is not in zone trusted/)
    expect(await fw.zoneOf('virbr43')).toBe('')
    expectOk(await world.guestnet(['net-destroy', 'fwtrust']))
  }, 30_000)

  it("a firewalld in another network namespace is never told about this one's bridges", async () => {
    // The helper sees the bus (same mount namespace) but works in another namespace than firewalld's,
    // as it does in tests and the sandbox while the machine runs firewalld: that firewalld's zones
    // are not this namespace's, and the bridge must not go into them.
    const start = expectOk(await world.guestnet(['net-start', 'fwtrust'], { netns: other, wrap: fw.wrap }))
    expect(start.stdout + start.stderr).toMatch(/firewalld is not running: bridge virbr43/)
    expect(await fw.zoneCall('getInterfaces', 'trusted')).not.toContain('virbr43')
    expectOk(await world.guestnet(['net-destroy', 'fwtrust'], { netns: other }))
  }, 30_000)

  it('a firewalld reload forgets the bridge; the guardian puts it back in its zone and guests get DHCP again', async () => {
    await define('fwheal', networkXml('fwheal', 'virbr45', 145))
    expectOk(await gn(['net-start', 'fwheal']))
    expect(await fw.zoneOf('virbr45')).toBe('guestnet')
    // The control: with no guardian running, a reload drops the runtime binding and it stays dropped.
    await fw.reload()
    await new Promise((r) => setTimeout(r, 1500))
    expect(await fw.zoneOf('virbr45')).toBe('')
    const service = fw.spawnInHost(serviceArgv(world))
    let log = ''
    service.stderr?.setEncoding('utf8').on('data', (d: string) => (log += d))
    const back = async (what: string): Promise<number> => {
      const t0 = performance.now()
      while ((await fw.zoneOf('virbr45')) !== 'guestnet') {
        if (performance.now() - t0 > 10_000) throw new Error(`${what}: virbr45 not back in zone guestnet\n${log}`)
        await new Promise((r) => setTimeout(r, 50))
      }
      return performance.now() - t0
    }
    await back('the guardian’s first look')
    await fw.reload()
    const ms = await back('after a reload')
    console.log(`firewalld reload → bridge back in its zone: ${Math.round(ms)} ms`)
    expect(log).toMatch(/virbr45 is in no firewalld zone/)
    const g = await world.addGuest({ bridge: 'virbr45', name: 'fwg5' })
    expect((await g.dhcp()).lease.ip).toMatch(/^192\.168\.145\./)
    expectOk(await gn(['net-destroy', 'fwheal']))
    expect(await fw.zoneOf('virbr45')).toBe('')
    await g.remove()
    const gone = new Promise((r) => service.once('exit', r))
    service.kill('SIGTERM')
    await gone
  }, 90_000)

  it('nothing is left: no bridge, no table, no zone binding', async () => {
    for (const name of ['fwnone', 'fwdef', 'fwtrust', 'fwbad', 'fwheal']) expectOk(await gn(['net-undefine', name]))
    // The service's frame log (what the guardian did, read by the app) outlives it; no network object does.
    const left = await leftoversSince(world, before, ['gv1', 'gv2', 'gv3', 'gv4'])
    expect(left.filter((l) => l !== 'file run/guestnet/.guardian.json')).toEqual([])
  })
})
