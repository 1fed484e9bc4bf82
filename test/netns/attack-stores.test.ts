/**
 * Two guestnet stores in one network namespace (two `--root` trees, as tests and image builders have)
 * must not destroy each other: B's reconcile leaves A's running table and bridge alone; B's start of
 * a same-named network fails naming the other store and A's guests keep their DHCP and NAT; B's stop
 * of its own NAT network leaves forwarding on while A's runs, and the last one out puts it back.
 * The namespace's shared sysctl ledger, corrupted, is reported by status (storeProblems), never read
 * as empty, and set aside and rebuilt by reconcile.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, rmdirSync, rmSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { helperPaths } from '../../src-main/core/store/helper-paths'
import { storeIdOf } from '../../src-main/core/store/store-id'
import { addressOf } from '../../src-main/sandbox/topology'
import type { GuestnetRun } from './support/guestnet-cli'
import { expectOk, runGuestnet } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import { HELPER_JS, resultOf, runHelper } from './support/helper-direct'
import type { TestNetwork } from './support/network-xml'
import { writeNetworkXml } from './support/network-xml'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld, HOST4, INET4, INET_TCP_PORT } from './support/world'

const skip = cliSkipReason() ?? (existsSync(HELPER_JS) ? null : `the helper is not built (${HELPER_JS})`)
if (skip) console.warn(`netns two-store attack tests skipped: ${skip}`)

/** Store A's network, and B's of the same name on another bridge and subnet. */
const A_NET = { name: 'shared', bridge: 'gnsha0', mode: 'nat', ipv4: '192.168.187.1/24' } as const
const B_SAME = { name: 'shared', bridge: 'gnshb0', mode: 'nat', ipv4: '192.168.188.1/24' } as const
/** B's own NAT network, and one that names A's bridge. */
const B_NET = { name: 'bnet', bridge: 'gnbn0', mode: 'nat', ipv4: '192.168.189.1/24' } as const
const B_CLASH = { name: 'clash', bridge: 'gnsha0', mode: 'nat', ipv4: '192.168.190.1/24' } as const
const GARBAGE = '{"version":2,"entries":{"net.ipv4.ip_forward":'

/** A helper's result line, as far as these tests look into it. */
interface Result {
  type: 'result'
  ok: boolean
  value?: {
    [key: string]: unknown
    networks?: { name: string; state: string; problems: string[] }[]
    repaired?: string[]
    left?: string[]
    failed?: string[]
    warnings?: string[]
    storeProblems?: string[]
  }
  error?: { code: string; message: string; field?: string; rollbackErrors?: string[] }
}

/** See attack-records.test.ts: the namespace's sysctl ledger in the machine's /run/guestnet, removed at the end. */
function trackLedger(file: string): () => void {
  const made = [dirname(file), dirname(dirname(file))].filter((d) => !existsSync(d))
  const clean = (): void => {
    rmSync(file, { force: true })
    rmSync(`${file}.lock`, { force: true })
    if (existsSync(dirname(file))) {
      for (const f of readdirSync(dirname(file)))
        if (f.startsWith(`${basename(file)}.broken-`)) rmSync(join(dirname(file), f), { force: true })
    }
    for (const d of made) {
      try {
        rmdirSync(d)
      } catch {
        // not empty (another run's ledger) or gone
      }
    }
  }
  // Before the namespaces go (cleanup.ts): while ours lives, no one else can have its inode.
  process.prependOnceListener('exit', clean)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.prependOnceListener(signal, clean)
  return clean
}

describe.skipIf(skip !== null)(`two stores in one namespace${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let rootB: string
  let ledger: string
  let cleanLedger: (() => void) | undefined
  let guest: Guest

  const inA = (args: string[]): Promise<GuestnetRun> => world.guestnet(args)
  const inB = (args: string[]): Promise<GuestnetRun> => runGuestnet({ root: rootB, netns: world.host, args })
  const helper = async (root: string, verb: string, args: Record<string, unknown> = {}) => {
    const out = await runHelper(world, {
      verb,
      raw: `${JSON.stringify({ verb, args: { root, netns: world.host, ...args } })}\n`
    })
    return { ...out, result: resultOf(out) as Result | undefined }
  }
  const brokenLedgers = (): string[] =>
    readdirSync(dirname(ledger)).filter((f) => f.startsWith(`${basename(ledger)}.broken-`))
  const forwarding = async (): Promise<string> =>
    (await world.x.inNs(world.host, ['cat', '/proc/sys/net/ipv4/ip_forward'])).stdout.trim()
  const tables = async (): Promise<string[]> =>
    (await world.x.inNs(world.host, ['nft', 'list', 'tables'])).stdout
      .split('\n')
      .map((l) => l.trim().replace(/^table\s+/, ''))
      .filter(Boolean)
  const links = async (): Promise<string[]> =>
    (await world.x.ipJson<{ ifname: string }[]>(world.host, ['link', 'show'])).map((l) => l.ifname)
  const define = async (store: (a: string[]) => Promise<GuestnetRun>, net: TestNetwork, file: string) => {
    const path = await writeNetworkXml(world.dir, { ...net, name: net.name })
    const target = join(world.dir, file)
    await writeFile(target, readFileSync(path, 'utf8'))
    expectOk(await store(['net-define', target]))
  }

  /** A's network still works: its table and bridge are there, the guest renews its lease and reaches the internet. */
  async function expectAWorks(): Promise<void> {
    expect(await tables()).toContain(`inet guestnet_${A_NET.name}`)
    expect(await links()).toContain(A_NET.bridge)
    expect(await guest.ping(addressOf(A_NET.ipv4))).toBe(true)
    const renewed = await guest.dhcp()
    expect(renewed.lease.ip).toMatch(/^192\.168\.187\./)
    expect(await guest.probe(INET4, INET_TCP_PORT)).toMatchObject({ result: 'connected', reply: `hello ${HOST4}` })
  }

  beforeAll(async () => {
    world = await createWorld()
    rootB = join(world.dir, 'rootB')
    const inode = (await world.x.inNs(world.host, ['stat', '-L', '-c', '%i', '/proc/self/ns/net'])).stdout.trim()
    ledger = helperPaths(undefined, undefined).ledgerFile(`net:[${inode}]`)
    cleanLedger = trackLedger(ledger)
    expect(await forwarding()).toBe('0')
    await define(inA, A_NET, 'a-shared.xml')
    await define(inB, B_SAME, 'b-shared.xml')
    await define(inB, B_NET, 'b-bnet.xml')
    await define(inB, B_CLASH, 'b-clash.xml')
    expectOk(await inA(['net-start', A_NET.name]))
    guest = await world.addGuest({ bridge: A_NET.bridge, name: 'aguest' })
    await guest.dhcp()
  })
  afterAll(async () => {
    await inB(['net-destroy', B_NET.name])
    await inA(['net-destroy', A_NET.name])
    cleanLedger?.()
    await world?.dispose()
  })

  it("B's reconcile leaves A's running table and bridge alone, and says whose they are", async () => {
    const run = await helper(rootB, 'reconcile')
    expect(run.result, run.stderr).toMatchObject({ ok: true, value: { failed: [] } })
    const left = (run.result?.value?.left ?? []).join('\n')
    expect(left).toMatch(/nft table inet guestnet_shared is not this store's \(another guestnet store/)
    expect(left).toMatch(/bridge gnsha0 belongs to another guestnet store/)
    expect(run.result?.value?.repaired).toEqual([])
    const named = await helper(rootB, 'reconcile', { name: A_NET.name })
    expect(named.result).toMatchObject({ ok: true, value: { repaired: [] } })
    await expectAWorks()
  })

  it("B's start of a same-named network fails naming the other store; A keeps working", async () => {
    const start = await inB(['net-start', B_SAME.name])
    expect(start.code).not.toBe(0)
    expect(start.stderr).toMatch(/another guestnet store/)
    expect(start.stderr).toContain(`--root store ${storeIdOf(realpathSync(world.root))}`)
    expect(await links()).not.toContain(B_SAME.bridge)
    // B's stop of a network it does not run touches nothing either.
    const stop = await helper(rootB, 'stop', { name: B_SAME.name })
    expect(stop.result).toMatchObject({ ok: false, error: { code: 'NOT_ACTIVE' } })
    await expectAWorks()
  })

  it("B's start of a network naming A's bridge is refused naming the other store", async () => {
    const start = await helper(rootB, 'start', { name: B_CLASH.name })
    expect(start.result).toMatchObject({ ok: false })
    expect(start.result?.error?.message).toMatch(/another guestnet store/)
    expect(await links()).toContain(A_NET.bridge)
    await expectAWorks()
  })

  it("B's stop of its own NAT network leaves forwarding on while A's runs; the last one out restores it", async () => {
    expect(await forwarding()).toBe('1')
    expectOk(await inB(['net-start', B_NET.name]))
    expect(await forwarding()).toBe('1')
    expectOk(await inB(['net-destroy', B_NET.name]))
    expect(await forwarding()).toBe('1')
    await expectAWorks()
    // Positive control: with B's the only one, its stop does put forwarding back.
    expectOk(await inA(['net-destroy', A_NET.name]))
    expect(await forwarding()).toBe('0')
    expectOk(await inB(['net-start', B_NET.name]))
    expect(await forwarding()).toBe('1')
    expectOk(await inB(['net-destroy', B_NET.name]))
    expect(await forwarding()).toBe('0')
    expect(existsSync(ledger)).toBe(false)
    expectOk(await inA(['net-start', A_NET.name]))
    // The guest's port left with the old bridge: back onto the new one.
    await world.x.ip(world.host, ['link', 'set', guest.hostIf, 'master', A_NET.bridge])
  })

  it('a corrupt ledger is reported by status in both stores, set aside and rebuilt by reconcile', async () => {
    expect(await forwarding()).toBe('1')
    await writeFile(ledger, GARBAGE)
    for (const root of [world.root, rootB]) {
      const status = await helper(root, 'status')
      expect(status.result, root).toMatchObject({ ok: true })
      expect((status.result?.value?.storeProblems ?? []).join('\n'), root).toMatch(
        /the sysctl ledger .* does not read .*run guestnet reconcile/
      )
    }
    const list = await inA(['net-list', '--all'])
    expect(list.code).toBe(0)
    expect(list.stderr).toMatch(/guestnet net-list: warning: the sysctl ledger .* does not read/)
    const reconcile = await helper(world.root, 'reconcile')
    expect(reconcile.result, reconcile.stderr).toMatchObject({ ok: true, value: { failed: [] } })
    expect((reconcile.result?.value?.repaired ?? []).join('\n')).toMatch(
      /repair-ledger: the sysctl ledger does not read/
    )
    const aside = brokenLedgers()
    expect(aside).toHaveLength(1)
    expect(aside[0]).toMatch(/\.broken-\d{13}$/)
    expect(readFileSync(join(dirname(ledger), aside[0]), 'utf8')).toBe(GARBAGE)
    // Rebuilt from what runs: A's network holds forwarding, whose value before guestnet is now unknown.
    const rebuilt = JSON.parse(readFileSync(ledger, 'utf8')) as {
      entries: Record<string, { original: string | null; owners: unknown[] }>
    }
    expect(rebuilt.entries['net.ipv4.ip_forward']).toMatchObject({
      original: null,
      owners: [{ store: storeIdOf(realpathSync(world.root)), network: A_NET.name, bridge: A_NET.bridge }]
    })
    for (const root of [world.root, rootB]) {
      const status = await helper(root, 'status')
      expect(status.result?.value?.storeProblems, root).toEqual([])
    }
    await expectAWorks()
  })

  it("one store's repair counts the other store's running networks: forwarding stays on for them", async () => {
    expectOk(await inB(['net-start', B_NET.name]))
    await writeFile(ledger, GARBAGE)
    const reconcile = await helper(world.root, 'reconcile')
    expect((reconcile.result?.value?.repaired ?? []).join('\n')).toMatch(/repair-ledger/)
    const rebuilt = JSON.parse(readFileSync(ledger, 'utf8')) as {
      entries: Record<string, { original: string | null; owners: Array<{ store: string; bridge: string }> }>
    }
    expect(rebuilt.entries['net.ipv4.ip_forward'].owners).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ store: storeIdOf(realpathSync(world.root)), bridge: A_NET.bridge }),
        expect.objectContaining({ store: storeIdOf(realpathSync(rootB)), network: B_NET.name, bridge: B_NET.bridge })
      ])
    )
    // A's stop, the one store that repaired, leaves forwarding on for B's network, and says so.
    const stop = await helper(world.root, 'stop', { name: A_NET.name })
    expect(stop.result, stop.stderr).toMatchObject({ ok: true })
    expect((stop.result?.value?.notes as string[] | undefined)?.join('\n')).toMatch(
      new RegExp(`net\\.ipv4\\.ip_forward stays 1: network ${B_NET.name} still needs it`)
    )
    expect(await forwarding()).toBe('1')
    expectOk(await inA(['net-start', A_NET.name]))
    await world.x.ip(world.host, ['link', 'set', guest.hostIf, 'master', A_NET.bridge])
    expectOk(await inB(['net-destroy', B_NET.name]))
    expect(await forwarding()).toBe('1')
    await expectAWorks()
  })

  it('a corrupt ledger is never read as empty: a stop leaves it as it is, says so, and reconcile repairs it', async () => {
    await writeFile(ledger, GARBAGE)
    const stop = await helper(world.root, 'stop', { name: A_NET.name })
    expect(stop.result, stop.stderr).toMatchObject({ ok: true, value: { state: 'inactive' } })
    expect((stop.result?.value?.warnings ?? []).join('\n')).toMatch(/sysctl ledger .*does not read.*reconcile/)
    expect(readFileSync(ledger, 'utf8')).toBe(GARBAGE)
    expect(await links()).not.toContain(A_NET.bridge)
    const reconcile = await helper(world.root, 'reconcile')
    expect((reconcile.result?.value?.repaired ?? []).join('\n')).toMatch(/repair-ledger/)
    expect(brokenLedgers()).toHaveLength(3)
    expect(existsSync(ledger)).toBe(false)
  })

  it("a ledger a namespace that is gone left at this one's name is not inherited: an admin's forwarding stays", async () => {
    expect(existsSync(ledger)).toBe(false)
    const alias = async (): Promise<string> =>
      (await world.x.inNs(world.host, ['cat', '/sys/class/net/lo/ifalias'])).stdout.trim()
    const ours = await alias()
    expect(ours).toMatch(/^guestnet-ns:[0-9a-f]{32}$/)
    await world.x.inNs(world.host, ['sysctl', '-qw', 'net.ipv4.ip_forward=1'])
    // What a dead namespace of the same inode would have left: forwarding was 0 before it, it set 1.
    const dead = `guestnet-ns:${'d'.repeat(32)}`
    const owner = { store: 'system', network: 'gone', bridge: A_NET.bridge }
    const forwardingSetIn = (namespace: string): string =>
      JSON.stringify({
        version: 2,
        namespace,
        entries: { 'net.ipv4.ip_forward': { original: '0', value: '1', owners: [owner] } }
      })
    await writeFile(ledger, forwardingSetIn(dead))
    expectOk(await inA(['net-start', A_NET.name]))
    const written = JSON.parse(readFileSync(ledger, 'utf8')) as {
      namespace: string
      entries: Record<string, { original: string; owners: unknown[] }>
    }
    expect(written.namespace).toBe(ours)
    expect(written.entries['net.ipv4.ip_forward']).toMatchObject({ original: '1', owners: [{ network: A_NET.name }] })
    expectOk(await inA(['net-destroy', A_NET.name]))
    expect(await forwarding()).toBe('1')
    // Positive control: this namespace's own ledger, with the same facts, is honoured (the original comes back).
    await writeFile(ledger, forwardingSetIn(ours))
    expectOk(await inA(['net-start', A_NET.name]))
    expectOk(await inA(['net-destroy', A_NET.name]))
    expect(await forwarding()).toBe('0')
    expect(existsSync(ledger)).toBe(false)
  })
})
