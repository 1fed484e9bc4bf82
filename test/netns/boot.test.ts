/**
 * The boot path on a fresh host: `autostart-all` creates the default network the first time only
 * and starts it; once deleted it stays deleted across boots; restore brings it back with its old UUID.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectOk } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld, INET4, INET_TCP_PORT } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns boot tests skipped: ${skip}`)

interface ListedNetwork {
  name: string
  uuid?: string | null
  state: string
  autostart?: boolean
  bridge?: string | null
}

async function listAll(world: World): Promise<ListedNetwork[]> {
  const out = expectOk(await world.guestnet(['net-list', '--all', '--json'])).stdout
  const parsed = JSON.parse(out) as ListedNetwork[] | { networks: ListedNetwork[] }
  return Array.isArray(parsed) ? parsed : parsed.networks
}

describe.skipIf(skip !== null)(`boot path and the default network${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let guest: Guest | undefined
  let firstUuid: string | undefined

  beforeAll(async () => {
    world = await createWorld()
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', 'default'])
    await world?.dispose()
  })

  it('creates and starts the default network on the first boot, with a UUID written once', async () => {
    const boot = expectOk(await world.guestnet(['autostart-all'], { timeoutMs: 60_000 }))
    expect(boot.stdout).toMatch(/Default network: created network default on virbr0/)
    const nets = await listAll(world)
    const def = nets.find((n) => n.name === 'default')
    expect(def).toMatchObject({ state: 'active', autostart: true })
    expect(def?.uuid).toMatch(/^[0-9a-f-]{36}$/)
    firstUuid = def?.uuid ?? undefined
    guest = await world.addGuest({ bridge: 'virbr0', name: 'bootguest' })
    await guest.dhcp()
    expect(guest.lease?.ip).toMatch(/^192\.168\.122\./)
    expect((await guest.probe(INET4, INET_TCP_PORT)).result).toBe('connected')
  })

  it('does not create it again on the next boot, nor change its UUID', async () => {
    expectOk(await world.guestnet(['net-destroy', 'default']))
    const boot = expectOk(await world.guestnet(['autostart-all'], { timeoutMs: 60_000 }))
    expect(boot.stdout).not.toMatch(/created network default/)
    const def = (await listAll(world)).find((n) => n.name === 'default')
    expect(def).toMatchObject({ state: 'active', uuid: firstUuid })
  })

  it('keeps a deleted default deleted across boots, and restores it with its old UUID', async () => {
    expectOk(await world.guestnet(['net-destroy', 'default']))
    expectOk(await world.guestnet(['net-undefine', 'default']))
    expectOk(await world.guestnet(['autostart-all'], { timeoutMs: 60_000 }))
    expect((await listAll(world)).map((n) => n.name)).not.toContain('default')

    expectOk(await world.guestnet(['net-restore-default']))
    const restored = (await listAll(world)).find((n) => n.name === 'default')
    expect(restored).toMatchObject({ state: 'inactive', uuid: firstUuid })
    expect((await world.guestnet(['net-restore-default'])).code).not.toBe(0)
  })
})
