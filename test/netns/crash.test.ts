/**
 * kill -9 of the helper at several points of a start: afterwards `guestnet reconcile` (or simply the
 * next start) leaves a consistent state, either the network fully running or nothing at all, and no
 * orphans (bridge, table, dnsmasq, journal) survive a final stop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { existsSync } from 'node:fs'

import { expectOk } from './support/guestnet-cli'
import { HELPER_JS, resultOf, runHelper } from './support/helper-direct'
import type { HostSnapshot } from './support/inspect'
import { leftovers } from './support/inspect'
import { expectNothingLeft, snapshot } from './support/networks'
import { writeNetworkXml } from './support/network-xml'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason() ?? (existsSync(HELPER_JS) ? null : `the helper is not built (${HELPER_JS})`)
if (skip) console.warn(`netns crash tests skipped: ${skip}`)

const NET = {
  name: 'crashy',
  bridge: 'virbr8',
  mode: 'nat',
  ipv4: '192.168.175.1/24',
  ipv6: '2001:db8:43::1/64'
} as const

/**
 * Where the helper dies: right after a step (its own fault hook sends it SIGKILL: deterministic), or
 * from outside with kill -9 as soon as it reports a step started (somewhere inside that step). After
 * each, either `guestnet reconcile` runs first or the next start has to cope by itself.
 */
interface KillPoint {
  how: 'crash-after' | 'kill-at-start-of'
  step: string
  then: 'reconcile' | 'start'
}

const KILL_POINTS: KillPoint[] = [
  { how: 'crash-after', step: 'files', then: 'reconcile' },
  { how: 'crash-after', step: 'bridge', then: 'reconcile' },
  { how: 'crash-after', step: 'firewall', then: 'start' },
  { how: 'crash-after', step: 'sysctls', then: 'reconcile' },
  { how: 'crash-after', step: 'dnsmasq', then: 'reconcile' },
  { how: 'crash-after', step: 'dnsmasq', then: 'start' },
  { how: 'kill-at-start-of', step: 'bridge', then: 'reconcile' },
  { how: 'kill-at-start-of', step: 'dnsmasq', then: 'start' }
]

describe.skipIf(skip !== null)(`helper killed during a start${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let before: HostSnapshot
  let steps: string[] = []

  beforeAll(async () => {
    world = await createWorld()
    before = await snapshot(world)
    expectOk(await world.guestnet(['net-define', await writeNetworkXml(world.dir, NET)]))
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NET.name])
    await world?.dispose()
  })

  /** Either fully running (journal, bridge, table, one dnsmasq) or nothing at all. */
  async function expectConsistent(): Promise<'running' | 'stopped'> {
    const snap = await snapshot(world)
    if (snap.runtimeFiles.includes(`${NET.name}.json`)) {
      expect(snap.bridges).toContain(NET.bridge)
      expect(snap.tables).toContain('inet guestnet_crashy')
      expect(snap.processes.filter((p) => p.endsWith(' dnsmasq'))).toHaveLength(1)
      return 'running'
    }
    expect(leftovers(before, snap)).toEqual([])
    return 'stopped'
  }

  it('runs a whole start and stop through the helper directly', async () => {
    const started = await runHelper(world, { verb: 'start', name: NET.name })
    expect(resultOf(started)).toMatchObject({ type: 'result', ok: true })
    steps = started.events.filter((e) => e.type === 'step-started').map((e) => e.step ?? '')
    expect(steps).toEqual(expect.arrayContaining(KILL_POINTS.map((p) => p.step)))
    console.info(`start steps: ${steps.join(', ')}`)
    expect(await expectConsistent()).toBe('running')
    const stopped = await runHelper(world, { verb: 'stop', name: NET.name })
    expect(resultOf(stopped)).toMatchObject({ ok: true })
    await expectNothingLeft(world, before)
  })

  for (const point of KILL_POINTS) {
    it(`recovers from a helper killed (${point.how} ${point.step}), then ${point.then}`, async () => {
      const dead = await runHelper(world, {
        verb: 'start',
        name: NET.name,
        env: point.how === 'crash-after' ? { GUESTNET_HELPER_FAULT: `crash-after:${point.step}` } : undefined,
        killOn: point.how === 'kill-at-start-of' ? (e) => e.type === 'step-started' && e.step === point.step : undefined
      })
      expect(dead.signal).toBe('SIGKILL')
      expect(resultOf(dead)).toBeUndefined()
      if (point.then === 'reconcile') {
        const rec = expectOk(await world.guestnet(['reconcile']))
        console.info(
          `after ${point.how} ${point.step}: reconcile → ${await expectConsistent()}; ${rec.stdout.trim().split('\n').slice(-3).join(' | ')}`
        )
      }
      // The next start works (or says it already runs), and a stop then removes every piece.
      const start = await world.guestnet(['net-start', NET.name])
      expect(start.code === 0 || /already|running|active/i.test(start.stdout + start.stderr)).toBe(true)
      expect(await expectConsistent()).toBe('running')
      expectOk(await world.guestnet(['net-destroy', NET.name]))
      await expectNothingLeft(world, before)
    })
  }
})
