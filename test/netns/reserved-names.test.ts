/**
 * A reserved hostname belongs to its reservation: a guest that is not the reserved MAC cannot take
 * it in DNS by sending it as its DHCP hostname (which would let one guest catch another's traffic,
 * `web.lab` pointing at the wrong machine), whether the reserved guest is up or not. Positive
 * controls: the reserved guest gets its name, and a guest with a name nobody reserved keeps it.
 */
import { chmod } from 'node:fs/promises'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectOk } from './support/guestnet-cli'
import { defineXml } from './support/networks'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns reserved-name tests skipped: ${skip}`)

const NAME = 'names'
const BRIDGE = 'gnrsv0'
const GW = '192.168.171.1'
const WEB_MAC = '52:54:00:7e:01:50'
const DB_MAC = '52:54:00:7e:01:51'
const XML = `<network>
  <name>${NAME}</name>
  <forward mode='nat'/>
  <bridge name='${BRIDGE}'/>
  <domain name='lab'/>
  <ip address='${GW}' prefix='24'>
    <dhcp>
      <range start='192.168.171.100' end='192.168.171.200'/>
      <host mac='${WEB_MAC}' name='web' ip='192.168.171.50'/>
      <host mac='${DB_MAC}' ip='192.168.171.51'/>
    </dhcp>
  </ip>
  <dns><host ip='192.168.171.60'><hostname>printer</hostname></host></dns>
</network>
`

describe.skipIf(skip !== null)(`reserved hostnames${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World

  beforeAll(async () => {
    world = await createWorld()
    // dnsmasq reads its reservations after dropping root: it must be able to enter the test's directory.
    await chmod(world.dir, 0o711)
    await defineXml(world, NAME, XML)
    expectOk(await world.guestnet(['net-start', NAME]))
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NAME])
    await world?.dispose()
  })

  it('a guest with another MAC that asks for the reserved name does not get it in DNS', async () => {
    const spoof = await world.addGuest({ bridge: BRIDGE, name: 'web' })
    const lease = await spoof.dhcp()
    expect(lease.lease.ip).toMatch(/^192\.168\.171\.(1\d\d|200)$/)
    const seen = [...(await spoof.resolve('web.lab', GW)), ...(await spoof.resolve('web', GW))]
    expect(seen).not.toContain(lease.lease.ip)
    await spoof.remove()
  })

  it('nor does a reserved guest whose reservation has no name of its own', async () => {
    // DB_MAC is reserved (an address, no name): being "known" must not let it take web's name.
    const db = await world.addGuest({ bridge: BRIDGE, name: 'web', mac: DB_MAC })
    expect((await db.dhcp()).lease.ip).toBe('192.168.171.51')
    expect(await db.resolve('web.lab', GW)).not.toContain('192.168.171.51')
    await db.remove()
  })

  it('nor can a guest take a name the network publishes with <dns><host>', async () => {
    const spoof = await world.addGuest({ bridge: BRIDGE, name: 'printer' })
    const lease = await spoof.dhcp()
    expect(await spoof.resolve('printer.lab', GW)).toEqual(['192.168.171.60'])
    expect(lease.lease.ip).not.toBe('192.168.171.60')
    await spoof.remove()
  })

  it('positive controls: the reserved guest has its name; an unreserved name is kept', async () => {
    const web = await world.addGuest({ bridge: BRIDGE, name: 'anything', mac: WEB_MAC })
    expect((await web.dhcp()).lease.ip).toBe('192.168.171.50')
    expect(await web.resolve('web.lab', GW)).toEqual(['192.168.171.50'])
    const other = await world.addGuest({ bridge: BRIDGE, name: 'mybox' })
    const lease = await other.dhcp()
    expect(await other.resolve('mybox.lab', GW)).toEqual([lease.lease.ip])
  })
})
