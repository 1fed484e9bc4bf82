/**
 * The read-only helper (guestnet-inspect, the polkit action org.guestnet.helper.inspect that an
 * active session may use without a password): `helper.js --read-only` answers reads and refuses
 * everything that would change the system, before anything is touched.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { HELPER_JS } from './support/helper-direct'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason()

function door(world: World, request: object): { code: number | null; result: Record<string, unknown> } {
  const r = spawnSync('ip', ['netns', 'exec', world.host, process.execPath, HELPER_JS, '--read-only'], {
    input: `${JSON.stringify(request)}\n`,
    encoding: 'utf8',
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    timeout: 20_000
  })
  const last = r.stdout.trim().split('\n').at(-1) ?? '{}'
  return { code: r.status, result: JSON.parse(last) as Record<string, unknown> }
}

describe.skipIf(skip !== null)(`the read-only helper${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  beforeAll(async () => {
    world = await createWorld()
  })
  afterAll(async () => world?.dispose())

  it('answers a read (positive control)', () => {
    const r = door(world, { verb: 'status', args: { root: world.root } })
    expect(r.code).toBe(0)
    expect(r.result).toMatchObject({ type: 'result', ok: true, value: { networks: [] } })
  })

  it('refuses every change, and a doctor fix, with nothing written', () => {
    const xml = "<network><name>x</name><forward mode='nat'/><ip address='192.168.177.1' prefix='24'/></network>"
    for (const request of [
      { verb: 'define', args: { root: world.root, xml } },
      { verb: 'start', args: { root: world.root, name: 'x' } },
      { verb: 'doctor', args: { root: world.root, fix: 'all' } },
      { verb: 'apply', args: { root: world.root, name: 'x', xml } }
    ]) {
      const r = door(world, request)
      expect(r.code, request.verb).toBe(3)
      expect(r.result).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORISED' } })
    }
    expect(existsSync(join(world.root, 'etc', 'guestnet', 'networks', 'x.xml'))).toBe(false)
  })

  it('never serves: --serve through the read-only door is refused', () => {
    const r = spawnSync(process.execPath, [HELPER_JS, '--read-only', '--serve', '--root', world.root], {
      encoding: 'utf8',
      timeout: 10_000
    })
    expect(r.status).toBe(3)
    expect(r.stderr).toMatch(/--serve is for root/)
  })
})
