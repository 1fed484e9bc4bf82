/**
 * DHCP reservations and where the helper's files live: dnsmasq reads its reservations after dropping
 * root, so under a --root inside a 0700 directory (a mkdtemp, a home directory) it cannot see them.
 * net-start says so, naming the directory and the fix; once the directory can be entered the
 * reserved guest gets its address.
 */
import { chmod, stat } from 'node:fs/promises'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectOk } from './support/guestnet-cli'
import { defineXml } from './support/networks'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns reservation tests skipped: ${skip}`)

const NAME = 'resv'
const BRIDGE = 'gnresv0'
const MAC = '52:54:00:7e:00:32'
const XML = `<network>
  <name>${NAME}</name>
  <forward mode='nat'/>
  <bridge name='${BRIDGE}'/>
  <ip address='192.168.170.1' prefix='24'>
    <dhcp>
      <range start='192.168.170.100' end='192.168.170.200'/>
      <host mac='${MAC}' name='fixed' ip='192.168.170.50'/>
    </dhcp>
  </ip>
</network>
`

describe.skipIf(skip !== null)(`reservations and a private --root${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World

  beforeAll(async () => {
    world = await createWorld()
    await defineXml(world, NAME, XML)
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NAME])
    await world?.dispose()
  })

  it('warns at start when dnsmasq cannot enter the directory holding its reservations', async () => {
    expect((await stat(world.dir)).mode & 0o777).toBe(0o700)
    const start = expectOk(await world.guestnet(['net-start', NAME]))
    expect(start.stderr).toContain(`cannot enter ${world.dir} (mode 0700)`)
    expect(start.stderr).toContain(`chmod o+x ${world.dir}`)
    // And it is so: the reserved guest gets an address from the pool instead.
    const guest = await world.addGuest({ bridge: BRIDGE, name: 'early', mac: MAC })
    const { ip } = (await guest.dhcp()).lease
    expect(ip).toMatch(/^192\.168\.170\.(1\d\d|200)$/)
    await guest.remove()
    expectOk(await world.guestnet(['net-destroy', NAME]))
  })

  it('starts without a warning once it can, and the reserved guest gets its address', async () => {
    await chmod(world.dir, 0o711)
    const start = expectOk(await world.guestnet(['net-start', NAME]))
    expect(start.stderr).not.toContain('cannot enter')
    const guest = await world.addGuest({ bridge: BRIDGE, name: 'fixed', mac: MAC })
    expect((await guest.dhcp()).lease.ip).toBe('192.168.170.50')
  })
})
