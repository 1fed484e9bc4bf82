/**
 * A start that fails at one step after another: the error is reported and nothing is left (no bridge,
 * table, dnsmasq, journal; sysctls as they were), and what was there before (the object that caused
 * the failure) is left alone. Each fault is removed afterwards and the network then starts fine.
 */
import { writeFile } from 'node:fs/promises'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { waitFor } from '../../src-main/sandbox/wait'
import { expectOk } from './support/guestnet-cli'
import type { HostSnapshot } from './support/inspect'
import { expectNothingLeft, snapshot } from './support/networks'
import { writeNetworkXml } from './support/network-xml'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns fault tests skipped: ${skip}`)

const NET = {
  name: 'faulty',
  bridge: 'virbr5',
  mode: 'nat',
  ipv4: '192.168.185.1/24',
  ipv6: '2001:db8:45::1/64'
} as const
const BLOCKER = fileURLToPath(new URL('./support/port-blocker.mjs', import.meta.url))

interface Fault {
  what: string
  /** What the error message must mention. */
  expect: RegExp
  make(world: World): Promise<() => Promise<void>>
}

const FAULTS: Fault[] = [
  {
    what: 'the network runtime directory is taken by a file',
    expect: /faulty|file|director|ENOTDIR|EEXIST/i,
    async make(world) {
      const path = join(world.root, 'run', 'guestnet', NET.name)
      await mkdir(join(world.root, 'run', 'guestnet'), { recursive: true })
      await writeFile(path, 'not a directory\n')
      return () => rm(path, { force: true })
    }
  },
  {
    what: 'the bridge name is taken',
    expect: /virbr5/,
    async make(world) {
      // A veth (this kernel may lack the dummy driver): clearly not a bridge guestnet made.
      await world.x.ip(world.host, ['link', 'add', NET.bridge, 'type', 'veth', 'peer', 'name', 'taken-peer'])
      return async () => void (await world.x.ip(world.host, ['link', 'del', NET.bridge]))
    }
  },
  {
    what: 'a table of the same name is owned by another process (nft refuses to load over it)',
    expect: /nft|table|guestnet_faulty|firewall|not permitted/i,
    async make(world) {
      // `flags owner`: only the nft process that made it may change or delete it; it goes when that exits.
      const owner = world.spawn(['ip', 'netns', 'exec', world.host, 'nft', '-i'])
      owner.stdin?.write('add table inet guestnet_faulty { flags owner; }\n')
      await waitFor(
        async () => (await world.x.inNs(world.host, ['nft', 'list', 'tables'])).stdout.includes('guestnet_faulty'),
        {
          timeoutMs: 5000,
          what: 'the owned table'
        }
      )
      return async () => {
        owner.stdin?.end()
        await waitFor(
          async () => !(await world.x.inNs(world.host, ['nft', 'list', 'tables'])).stdout.includes('guestnet_faulty'),
          {
            timeoutMs: 5000,
            what: 'the owned table to go'
          }
        )
      }
    }
  },
  {
    what: 'dnsmasq cannot bind port 53',
    expect: /dnsmasq|53|address already in use/i,
    async make(world) {
      const child = world.spawn(['ip', 'netns', 'exec', world.host, process.execPath, BLOCKER, '53'])
      let out = ''
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
      await waitFor(async () => out.includes('ready'), { timeoutMs: 10_000, what: 'the port 53 blocker' })
      return async () => {
        child.kill('SIGTERM')
        await waitFor(async () => child.exitCode !== null || child.signalCode !== null, {
          timeoutMs: 5000,
          what: 'the blocker to exit'
        })
      }
    }
  }
]

/** Every step of a start, failed on purpose by the helper's fault hook after its commands ran. */
const STEPS = ['files', 'bridge', 'firewall', 'sysctls', 'dnsmasq']

describe.skipIf(skip !== null)(`faults during a start${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let clean: HostSnapshot

  beforeAll(async () => {
    world = await createWorld()
    clean = await snapshot(world)
    expectOk(await world.guestnet(['net-define', await writeNetworkXml(world.dir, NET)]))
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NET.name])
    await world?.dispose()
  })

  for (const step of STEPS) {
    it(`rolls back everything when step ${step} fails`, async () => {
      const run = await world.guestnet(['net-start', NET.name], { env: { GUESTNET_HELPER_FAULT: `fail:${step}` } })
      expect(run.code).not.toBe(0)
      expect(run.stderr + run.stdout).toContain(`fault injected at step ${step}`)
      await expectNothingLeft(world, clean)
    })
  }

  for (const fault of FAULTS) {
    it(`reports and undoes everything when ${fault.what}`, async () => {
      const undoFault = await fault.make(world)
      try {
        const withFault = await snapshot(world)
        const run = await world.guestnet(['net-start', NET.name])
        console.info(`${fault.what}: exit ${run.code}: ${run.stderr.trim().split('\n')[0]}`)
        expect(run.code).not.toBe(0)
        expect(run.stderr + run.stdout).toMatch(fault.expect)
        // Nothing of ours is left, and the thing that was in the way is still there.
        await expectNothingLeft(world, withFault)
        expect(await snapshot(world)).toMatchObject({ links: withFault.links, tables: withFault.tables })
      } finally {
        await undoFault()
      }
      expectOk(await world.guestnet(['net-start', NET.name]))
      expectOk(await world.guestnet(['net-destroy', NET.name]))
      await expectNothingLeft(world, clean)
    })
  }
})
