/**
 * A port forward to a guest's MAC follows the guest by itself while the warm service runs: its
 * guardian sees the lease move (the lease file, `ip monitor neigh`) and replaces the network's table
 * as `net-forward-list --refresh` would, with no command from anyone. The control: before the move the
 * table goes to the old address, and nothing else of the network changes (dnsmasq keeps its pid).
 */
import type { ChildProcess } from 'node:child_process'
import { chmod, mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { waitFor } from '../../src-main/sandbox/wait'
import type { Guest } from './support/guest'
import { expectOk } from './support/guestnet-cli'
import { startService } from './support/helper-direct'
import { defineXml, dnsmasqIdentity } from './support/networks'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld, HOST4, INET4 } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns forwards-follow tests skipped: ${skip}`)

const SERVER = fileURLToPath(new URL('./support/echo-server.mjs', import.meta.url))
const CLIENT = fileURLToPath(new URL('./support/echo-client.mjs', import.meta.url))

const NAME = 'follow'
const BRIDGE = 'gnflw0'
const MAC = '52:54:00:7f:03:0a'
const XML = `<network>
  <name>${NAME}</name>
  <forward mode='nat'/>
  <bridge name='${BRIDGE}'/>
  <ip address='192.168.174.1' prefix='24'>
    <dhcp><range start='192.168.174.100' end='192.168.174.200'/></dhcp>
  </ip>
</network>
`

describe.skipIf(skip !== null)(`forwards follow their guests${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let guest: Guest
  let service: ChildProcess
  let log = ''

  const table = async (): Promise<string> =>
    (await world.x.inNs(world.host, ['nft', 'list', 'table', 'inet', `guestnet_${NAME}`], { allowFail: true })).stdout
  const send = async (): Promise<unknown> =>
    JSON.parse(
      (
        await world.x.inNs(world.inet, [process.execPath, CLIENT, 'udp', HOST4, '5353'], { timeoutMs: 15_000 })
      ).stdout.trim()
    )

  beforeAll(async () => {
    world = await createWorld()
    // dnsmasq re-reads its hostsfile (net-update) after dropping root: it must be able to enter the directory.
    await chmod(world.dir, 0o711)
    await mkdir(world.root, { recursive: true, mode: 0o755 })
    await defineXml(world, NAME, XML)
    expectOk(await world.guestnet(['net-start', NAME]))
    expectOk(
      await world.guestnet([
        'net-forward-add',
        NAME,
        '--proto',
        'udp',
        '--port',
        '5353',
        '--to',
        MAC,
        '--to-port',
        '8053'
      ])
    )
    guest = await world.addGuest({ bridge: BRIDGE, name: 'mover', mac: MAC })
    const server = world.spawn(['ip', 'netns', 'exec', guest.ns, process.execPath, SERVER, 'udp', '8053'])
    let out = ''
    server.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d))
    await waitFor(async () => out.includes('ready'), { timeoutMs: 10_000, what: 'the guest’s echo server' })
    service = await startService(world, (d) => (log += d))
  }, 120_000)

  afterAll(async () => {
    await world?.guestnet(['net-destroy', NAME])
    if (service && service.exitCode === null) {
      const gone = new Promise((r) => service.once('exit', r))
      service.kill('SIGTERM')
      await gone
    }
    await world?.dispose()
  })

  it('a guest’s first lease gets the forward, with no refresh from anyone', async () => {
    expect(await table()).not.toMatch(/dnat ip to 192\.168\.174\.\d+:8053/)
    const ip = (await guest.dhcp()).lease.ip
    await waitFor(async () => (await table()).includes(`dnat ip to ${ip}:8053`), {
      timeoutMs: 8000,
      what: `the forward to ${ip}\n${log}`
    })
    expect(await send()).toEqual({ replies: [`${INET4} one`] })
  }, 30_000)

  it('a new lease moves the forward to the new address; the old one has no rule; dnsmasq stays', async () => {
    const old = guest.lease?.ip ?? ''
    expect(await table()).toContain(`dnat ip to ${old}:8053`)
    const dnsmasq = await dnsmasqIdentity(world, NAME)
    const followed = (): number => log.match(/port forwards follow their guests' new addresses/g)?.length ?? 0
    const before = followed()
    expectOk(
      await world.guestnet(['net-update', NAME, 'add', 'ip-dhcp-host', `<host mac='${MAC}' ip='192.168.174.50'/>`])
    )
    expect((await guest.dhcp()).lease.ip).toBe('192.168.174.50')
    const t0 = performance.now()
    await waitFor(async () => (await table()).includes('dnat ip to 192.168.174.50:8053'), {
      timeoutMs: 8000,
      what: `the forward to follow the guest\n${log}`
    })
    console.log(`new lease → forward follows: ${Math.round(performance.now() - t0)} ms`)
    expect(await table()).not.toContain(`dnat ip to ${old}:8053`)
    expect(await send()).toEqual({ replies: [`${INET4} one`] })
    expect(await dnsmasqIdentity(world, NAME)).toBe(dnsmasq)
    expect(followed()).toBe(before + 1)
    // Still guarded afterwards: the guardian adopted the new table, and says nothing more of it.
    expect(log).not.toMatch(/not guarded|generated files changed/)
  }, 30_000)
})
