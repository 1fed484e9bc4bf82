/**
 * A host-bridge network (`<forward mode='bridge'>`, libvirt's host-bridge-net): guests join a bridge
 * the host already has and get their addresses from the LAN behind it. guestnet makes nothing for
 * it (no table, no dnsmasq, no sysctl) and never touches the host's bridge: stopping the network
 * leaves the bridge and its port as they were. Starting it without the bridge is refused, naming
 * the field, with nothing changed.
 */
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { waitFor } from '../../src-main/sandbox/wait'
import { expectOk } from './support/guestnet-cli'
import { defineXml } from './support/networks'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns host-bridge tests skipped: ${skip}`)

const NAME = 'lan'
const BRIDGE = 'gnlan0'
const XML = `<network>
  <name>${NAME}</name>
  <forward mode='bridge'/>
  <bridge name='${BRIDGE}'/>
</network>
`

describe.skipIf(skip !== null)(`host bridge: guests on the LAN${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let lan: string

  const tables = async (): Promise<string> => (await world.x.inNs(world.host, ['nft', 'list', 'tables'])).stdout
  const bridgeState = async (): Promise<string> =>
    (await world.x.ip(world.host, ['-o', 'link', 'show', 'master', BRIDGE])).stdout

  beforeAll(async () => {
    world = await createWorld()
    await defineXml(world, NAME, XML)
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NAME])
    await world?.dispose()
  })

  it('refuses to start while the host has no such bridge, and changes nothing', async () => {
    const start = await world.guestnet(['net-start', NAME])
    expect(start.code).toBe(2)
    expect(start.stderr).toContain(`the host has no bridge ${BRIDGE}`)
    expect(start.stderr).toContain('bridge.name')
    expect(existsSync(join(world.root, 'run', 'guestnet', `${NAME}.json`))).toBe(false)
  })

  it('starts on the host’s bridge without making anything; a guest gets its lease from the LAN', async () => {
    const { x, host } = world
    // The host's bridge with its "wired NIC" in it, leading to a LAN whose router serves DHCP.
    lan = await world.newNamespace('l')
    await x.ip(host, ['link', 'add', BRIDGE, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0'])
    await x.ip(host, ['link', 'add', 'gnlannic', 'type', 'veth', 'peer', 'name', 'lan0', 'netns', lan])
    await x.ip(host, ['link', 'set', 'gnlannic', 'master', BRIDGE, 'up'])
    await x.ip(host, ['link', 'set', BRIDGE, 'up'])
    await x.ip(lan, ['addr', 'add', '10.78.0.1/24', 'dev', 'lan0'])
    await x.ip(lan, ['link', 'set', 'lan0', 'up'])
    world.spawn([
      'ip',
      'netns',
      'exec',
      lan,
      'dnsmasq',
      '--keep-in-foreground',
      '--conf-file=/dev/null',
      '--no-resolv',
      '--no-hosts',
      '--interface=lan0',
      '--bind-interfaces',
      '--except-interface=lo',
      '--port=0',
      '--dhcp-range=10.78.0.100,10.78.0.150,1h',
      '--no-ping',
      `--dhcp-leasefile=${join(world.dir, 'lan.leases')}`,
      `--pid-file=${join(world.dir, 'lan.pid')}`,
      '--user=root'
    ])
    await waitFor(async () => (await x.inNs(lan, ['busybox', 'netstat', '-lun'])).stdout.includes(':67'), {
      timeoutMs: 5000,
      what: 'the LAN’s DHCP server'
    })
    const before = await tables()

    const start = expectOk(await world.guestnet(['net-start', NAME]))
    expect(start.stdout).toContain(`Network ${NAME} started`)
    const list = JSON.parse(expectOk(await world.guestnet(['net-list', '--json'])).stdout) as {
      name: string
      state: string
      bridge?: string
    }[]
    expect(list.find((n) => n.name === NAME)).toMatchObject({ state: 'active', bridge: BRIDGE })
    expect(await tables()).toBe(before)
    expect(existsSync(join(world.root, 'run', 'guestnet', NAME, 'dnsmasq.pid'))).toBe(false)

    const guest = await world.addGuest({ bridge: BRIDGE, name: 'onlan' })
    const { lease } = await guest.dhcp()
    expect(lease.ip).toMatch(/^10\.78\.0\.1\d\d$/)
    expect(await guest.ping('10.78.0.1')).toBe(true)

    // Nothing for reconcile to repair or remove: the host's bridge is not a leftover of ours.
    const rec = expectOk(await world.guestnet(['reconcile']))
    expect(rec.stdout).not.toMatch(/repaired|removed|deleted/i)
    expect((await world.x.ip(host, ['-o', 'link', 'show', 'dev', BRIDGE])).stdout).toContain('state UP')
    const after = JSON.parse(expectOk(await world.guestnet(['net-list', '--json'])).stdout) as {
      name: string
      state: string
    }[]
    expect(after.find((n) => n.name === NAME)?.state).toBe('active')
  })

  it('stops without touching the host’s bridge or its port', async () => {
    const ports = await bridgeState()
    expectOk(await world.guestnet(['net-destroy', NAME]))
    expect(await bridgeState()).toBe(ports)
    expect(ports).toContain('gnlannic')
    expect((await world.x.ip(world.host, ['-o', 'link', 'show', 'dev', BRIDGE])).stdout).toContain('state UP')
    expect(existsSync(join(world.root, 'run', 'guestnet', `${NAME}.json`))).toBe(false)
  })

  it('refuses to join a bridge another guestnet network uses, naming it', async () => {
    const other = join(world.dir, 'natnet.xml')
    await writeFile(
      other,
      `<network><name>natnet</name><forward mode='nat'/><bridge name='gnnat0'/><ip address='192.168.190.1' prefix='24'/></network>`
    )
    expectOk(await world.guestnet(['net-define', other]))
    const join2 = join(world.dir, 'join.xml')
    await writeFile(join2, "<network><name>join</name><forward mode='bridge'/><bridge name='gnnat0'/></network>")
    const r = await world.guestnet(['net-define', join2])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/gnnat0.*natnet|natnet.*gnnat0/)
  })
})
