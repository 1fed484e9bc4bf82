/**
 * 100 start/stop cycles leak nothing: no process, no bridge, no table, no file, no sysctl change, and
 * each new dnsmasq holds the same number of file descriptors as the first (none leaked into it from
 * the helper). The helper runs directly in the namespace to keep the loop quick.
 */
import { readdirSync } from 'node:fs'
import { existsSync } from 'node:fs'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectOk } from './support/guestnet-cli'
import { HELPER_JS, resultOf, runHelper } from './support/helper-direct'
import type { HostSnapshot } from './support/inspect'
import { expectNothingLeft, snapshot } from './support/networks'
import { writeNetworkXml } from './support/network-xml'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason() ?? (existsSync(HELPER_JS) ? null : `the helper is not built (${HELPER_JS})`)
if (skip) console.warn(`netns cycle tests skipped: ${skip}`)

const CYCLES = 100
const NET = {
  name: 'cycler',
  bridge: 'virbr9',
  mode: 'nat',
  ipv4: '192.168.180.1/24',
  ipv6: '2001:db8:44::1/64'
} as const

function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length
}

describe.skipIf(skip !== null)(`${CYCLES} start/stop cycles${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let before: HostSnapshot

  beforeAll(async () => {
    world = await createWorld()
    before = await snapshot(world)
    expectOk(await world.guestnet(['net-define', await writeNetworkXml(world.dir, NET)]))
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NET.name])
    await world?.dispose()
  })

  it(`leaks nothing over ${CYCLES} cycles`, { timeout: 240_000 }, async () => {
    const ownFds = fdCount(process.pid)
    const dnsmasqFds: number[] = []
    const startMs: number[] = []
    const stopMs: number[] = []
    for (let i = 0; i < CYCLES; i++) {
      const start = await runHelper(world, { verb: 'start', name: NET.name })
      if (resultOf(start)?.ok !== true)
        throw new Error(`cycle ${i}: start failed: ${JSON.stringify(resultOf(start))} ${start.stderr}`)
      startMs.push(start.ms)
      if (i === 0 || i === CYCLES - 1) {
        const snap = await snapshot(world)
        const dnsmasq = snap.processes.filter((p) => p.endsWith(' dnsmasq'))
        expect(dnsmasq).toHaveLength(1)
        dnsmasqFds.push(fdCount(Number(dnsmasq[0].split(' ')[0])))
      }
      const stop = await runHelper(world, { verb: 'stop', name: NET.name })
      if (resultOf(stop)?.ok !== true)
        throw new Error(`cycle ${i}: stop failed: ${JSON.stringify(resultOf(stop))} ${stop.stderr}`)
      stopMs.push(stop.ms)
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
    console.info(
      `${CYCLES} cycles: helper start median ${median(startMs).toFixed(0)} ms, stop median ${median(stopMs).toFixed(0)} ms`
    )
    expect(dnsmasqFds[1]).toBe(dnsmasqFds[0])
    await expectNothingLeft(world, before)
    // Our own side (pipes to 200 helpers) is back where it was, give or take a handle node opens lazily.
    expect(fdCount(process.pid)).toBeLessThanOrEqual(ownFds + 2)
  })
})
