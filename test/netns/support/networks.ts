/** Define, start and stop test networks through the CLI, checking that a stop leaves nothing behind. */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { expect } from 'vitest'

import { processStartTime } from '../../../src-main/helper/run/dnsmasq-process'

import { expectOk } from './guestnet-cli'
import type { HostSnapshot } from './inspect'
import { leftovers, snapshotHost } from './inspect'
import type { TestNetwork } from './network-xml'
import { writeNetworkXml } from './network-xml'
import type { World } from './world'

/** `net-define` of a network given as XML text (written to the world's directory as NAME.xml). */
export async function defineXml(world: World, name: string, xml: string): Promise<void> {
  const file = join(world.dir, `${name}.xml`)
  await writeFile(file, xml)
  expectOk(await world.guestnet(['net-define', file]))
}

/** `net-define` then `net-start`; returns the start's duration in ms. */
export async function defineAndStart(world: World, net: TestNetwork): Promise<number> {
  const file = await writeNetworkXml(world.dir, net)
  expectOk(await world.guestnet(['net-define', file]))
  return expectOk(await world.guestnet(['net-start', net.name])).ms
}

export function snapshot(world: World): Promise<HostSnapshot> {
  return snapshotHost(world.x, world.host, world.root)
}

/**
 * What is left compared with `before`, ignoring the host ends of guest veths (`ignoreLinks`): they
 * belong to the guests and stay, detached, when the bridge goes.
 */
export async function leftoversSince(
  world: World,
  before: HostSnapshot,
  ignoreLinks: string[] = []
): Promise<string[]> {
  const after = await snapshot(world)
  return leftovers(before, after).filter((line) => !ignoreLinks.some((l) => line === `link ${l}`))
}

export async function expectNothingLeft(world: World, before: HostSnapshot, ignoreLinks: string[] = []): Promise<void> {
  expect(await leftoversSince(world, before, ignoreLinks)).toEqual([])
}

/** A running network's dnsmasq as `pid@starttime` (/proc/PID/stat): the same pair means the same process. */
export async function dnsmasqIdentity(world: World, name: string): Promise<string> {
  const pid = Number((await readFile(join(world.root, 'run', 'guestnet', name, 'dnsmasq.pid'), 'utf8')).trim())
  return `${pid}@${processStartTime(pid)}`
}
