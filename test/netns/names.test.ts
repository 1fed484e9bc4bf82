/**
 * Every class of network name the validator accepts works through its whole life: define, start,
 * `net-list` (active, not broken), `reconcile` (nothing to repair, nothing torn down), a guest's
 * DHCP lease, `net-destroy`, and nothing left. Plain names keep their own file names; the others
 * (libvirt's `default"with"quotes"` included) live under their key (core/store/network-key.ts).
 * The one journal regex that once cut `a-b` to `a` is gone: keys are read back, not pattern-matched.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { networkKey } from '../../src-main/core/store/network-key'
import { expectOk } from './support/guestnet-cli'
import type { HostSnapshot } from './support/inspect'
import { expectNothingLeft, snapshot } from './support/networks'
import { writeNetworkXml } from './support/network-xml'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns name tests skipped: ${skip}`)

/** One of each class: plain with each allowed punctuation, then what only the key can spell. */
const NAMES = [
  'my-lab',
  'a_b.c+d',
  'default"with"quotes"',
  'my lab',
  '.hidden',
  '-dash',
  'ünïcödé',
  "a'b;$(id)#x&<y>",
  '%not-a-key',
  'x'.repeat(200)
]

interface Row {
  name: string
  bridge: string
  subnet: string
}

const ROWS: Row[] = NAMES.map((name, i) => ({ name, bridge: `gnname${i}`, subnet: `192.168.${140 + i}` }))

describe.skipIf(skip !== null)(`names of every class${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let before: HostSnapshot

  beforeAll(async () => {
    world = await createWorld()
    before = await snapshot(world)
  })
  afterAll(async () => {
    for (const r of ROWS) await world?.guestnet(['net-destroy', '--', r.name])
    await world?.dispose()
  })

  it.each(ROWS)('$name: define → start → list → reconcile → lease → destroy', { timeout: 60_000 }, async (row) => {
    const file = await writeNetworkXml(world.dir, {
      name: row.name,
      bridge: row.bridge,
      mode: 'nat',
      ipv4: `${row.subnet}.1/24`
    })
    expectOk(await world.guestnet(['net-define', file]))
    const stored = readdirSync(join(world.root, 'etc', 'guestnet', 'networks'))
    expect(stored).toContain(`${networkKey(row.name)}.xml`)
    expectOk(await world.guestnet(['net-start', '--', row.name]))

    const list = JSON.parse(expectOk(await world.guestnet(['net-list', '--json'])).stdout) as Array<{
      name: string
      state: string
      problems: string[]
    }>
    expect(list.find((n) => n.name === row.name)).toMatchObject({ state: 'active', problems: [] })
    const reconcile = expectOk(await world.guestnet(['reconcile', '--json']))
    const repaired = JSON.parse(reconcile.stdout) as { repaired: string[]; failed: string[] }
    expect(repaired).toMatchObject({ repaired: [], failed: [] })
    expect(existsSync(join(world.root, 'run', 'guestnet', `${networkKey(row.name)}.json`))).toBe(true)

    const guest = await world.addGuest({ bridge: row.bridge, name: `n${ROWS.indexOf(row)}` })
    expect((await guest.dhcp()).lease.ip.startsWith(`${row.subnet}.`)).toBe(true)
    const dumped = expectOk(await world.guestnet(['net-dumpxml', '--', row.name])).stdout
    expect(dumped).toContain('<name>')

    expectOk(await world.guestnet(['net-destroy', '--', row.name]))
    expectOk(await world.guestnet(['net-undefine', '--', row.name]))
    await guest.remove()
  })

  it('leaves nothing behind', async () => {
    await expectNothingLeft(world, before)
  })
})
