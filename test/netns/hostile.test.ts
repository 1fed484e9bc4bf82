/**
 * Hostile input reaches the real helper in a namespace: names with shell metacharacters, `../` paths,
 * a 16-byte bridge name, an overlapping subnet, malformed JSON. Each is refused with a clear error and
 * nothing changes: not the namespace, not the store, no file outside it.
 */
import { existsSync, readdirSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectOk } from './support/guestnet-cli'
import { HELPER_JS, resultOf, runHelper } from './support/helper-direct'
import type { HostSnapshot } from './support/inspect'
import { snapshot } from './support/networks'
import { networkXml, writeNetworkXml } from './support/network-xml'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason() ?? (existsSync(HELPER_JS) ? null : `the helper is not built (${HELPER_JS})`)
if (skip) console.warn(`netns hostile-input tests skipped: ${skip}`)

const GOOD = { name: 'good', bridge: 'virbr2', mode: 'nat', ipv4: '192.168.190.1/24' } as const

describe.skipIf(skip !== null)(`hostile input${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let before: HostSnapshot
  let storeFiles: string[]
  const canary = (): string => join(world.dir, 'pwned')

  beforeAll(async () => {
    world = await createWorld()
    expectOk(await world.guestnet(['net-define', await writeNetworkXml(world.dir, GOOD)]))
    before = await snapshot(world)
    storeFiles = readdirSync(join(world.root, 'etc', 'guestnet', 'networks')).sort()
  })
  afterAll(async () => {
    await world?.dispose()
  })

  async function expectUnchanged(): Promise<void> {
    expect(await snapshot(world)).toEqual(before)
    expect(readdirSync(join(world.root, 'etc', 'guestnet', 'networks')).sort()).toEqual(storeFiles)
    expect(existsSync(canary())).toBe(false)
  }

  it('refuses network names with shell metacharacters or paths', async () => {
    // Names libvirt takes (metacharacters are only characters) are not found; the others are refused as names.
    for (const name of [`x;touch ${canary()}`, '$(touch /tmp/x)', '../../etc/passwd', 'a/b', 'x\u001b]0;t\u0007', '']) {
      const run = await world.guestnet(['net-start', name])
      expect(run.code, name).not.toBe(0)
      expect(run.stderr, name).toMatch(/name/i)
    }
    await expectUnchanged()
  })

  it('refuses a definition with a 16-byte bridge name, naming the field', async () => {
    const file = join(world.dir, 'longbridge.xml')
    await writeFile(file, networkXml({ ...GOOD, name: 'longbridge', bridge: 'abcdefghijklmnop' }))
    const run = await world.guestnet(['net-define', file])
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(/bridge/)
    await expectUnchanged()
  })

  it('refuses a subnet that overlaps another network', async () => {
    const file = join(world.dir, 'overlap.xml')
    await writeFile(file, networkXml({ name: 'overlap', bridge: 'virbr3', mode: 'nat', ipv4: '192.168.190.129/24' }))
    const run = await world.guestnet(['net-define', file])
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(/192\.168\.190\./)
    await expectUnchanged()
  })

  it('answers malformed or hostile JSON with an error result and does nothing', async () => {
    const cases = [
      '{"verb": "start", ',
      'not json at all\n',
      JSON.stringify({ verb: 'start', args: { name: 'good', root: '../../etc', netns: world.host } }) + '\n',
      JSON.stringify({ verb: 'exec', args: { cmd: `touch ${canary()}` } }) + '\n',
      JSON.stringify({ verb: 'start', args: { name: 'good', netns: '../../proc/1/ns/net' } }) + '\n'
    ]
    for (const raw of cases) {
      const outcome = await runHelper(world, { verb: 'start', raw })
      expect(resultOf(outcome), raw).toMatchObject({
        type: 'result',
        ok: false,
        error: { code: expect.any(String), message: expect.any(String) }
      })
      expect(outcome.code, raw).not.toBe(0)
    }
    await expectUnchanged()
  })
})
