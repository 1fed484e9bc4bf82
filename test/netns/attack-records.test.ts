/**
 * Attacks through the records guestnet reads back: a journal is facts, never a program. A journal or
 * start intent in guestnet v1's form (its `undo` as argv lists, which v1's stop ran as root) is not
 * usable and never runs; an `undo` smuggled into a v2 record is ignored; a record written by another
 * store, or whose `network` is not its file's, is refused; a record naming a table or a bridge that is
 * not the network's own gets nothing deleted; reconcile removes this store's leftovers and leaves other
 * programs' tables and bridges alone. Records are planted as root in the test's root-owned store (only
 * root can write there: attack-caller.test.ts shows a user's store is refused). Each attack has a
 * positive control: the same verb on the network's real record does its job.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, rmdirSync, rmSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { GUESTNET_DEVGROUP } from '../../src-main/core/plan/devgroup'
import { RECORD_VERSION } from '../../src-main/core/plan/network-record'
import { helperPaths } from '../../src-main/core/store/helper-paths'
import { ownerMark, storeIdOf } from '../../src-main/core/store/store-id'
import { expectOk } from './support/guestnet-cli'
import { HELPER_JS, resultOf, runHelper } from './support/helper-direct'
import { writeNetworkXml } from './support/network-xml'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason() ?? (existsSync(HELPER_JS) ? null : `the helper is not built (${HELPER_JS})`)
if (skip) console.warn(`netns record attack tests skipped: ${skip}`)

const NET = { name: 'rec', bridge: 'gnrec0', mode: 'nat', ipv4: '192.168.184.1/24' } as const
/** Objects of other programs (and of another guestnet store) in the host namespace. */
const VICTIM_TABLE = 'victim'
const GUESTNET_LOOKALIKE = 'guestnet_zzz'
const VICTIM_BRIDGE = 'gnvictim0'
const OTHER_STORE_BRIDGE = 'gnother0'
const OTHER_STORE = 'root-000000000000'

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

/**
 * The sysctl ledger of a test namespace lives in the machine's /run/guestnet (one per namespace, for
 * every store): removed at the end, also after a failure or an interrupt, with the directories it
 * needed if they were not there before. Other runs' ledgers are left alone.
 */
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

describe.skipIf(skip !== null)(`attacks through records${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let store: string
  let runtime: string
  let cleanLedger: (() => void) | undefined
  const canary = (): string => join(world.dir, 'PWNED')
  const bystander = (): string => join(world.dir, 'bystander')

  const journalFile = (): string => join(runtime, `${NET.name}.json`)
  const intentFile = (): string => join(runtime, `.${NET.name}.starting.json`)

  const helper = async (verb: string, args: Record<string, unknown> = {}) => {
    const out = await runHelper(world, {
      verb,
      raw: `${JSON.stringify({ verb, args: { root: world.root, netns: world.host, ...args } })}\n`
    })
    return { ...out, result: resultOf(out) as Result | undefined }
  }

  const tables = async (): Promise<string[]> =>
    (await world.x.inNs(world.host, ['nft', 'list', 'tables'])).stdout
      .split('\n')
      .map((l) => l.trim().replace(/^table\s+/, ''))
      .filter(Boolean)
  const links = async (): Promise<string[]> =>
    (await world.x.ipJson<{ ifname: string }[]>(world.host, ['link', 'show'])).map((l) => l.ifname)

  /** Every shell the planted undo would run: on the machine, and inside the test's namespace. */
  const shellUndo = (): string[][] => [
    ['sh', '-c', `touch ${canary()}`],
    ['/bin/sh', '-c', `touch ${canary()}`],
    ['ip', 'netns', 'exec', world.host, '/bin/sh', '-c', `touch ${canary()}`],
    ['@remove', bystander()],
    ['nft', 'delete', 'table', 'inet', VICTIM_TABLE],
    ['ip', 'link', 'del', VICTIM_BRIDGE]
  ]

  const v1Record = (kind: 'journal' | 'intent'): string =>
    JSON.stringify({
      version: 1,
      kind,
      network: NET.name,
      uuid: null,
      bridge: VICTIM_BRIDGE,
      tables: [{ family: 'inet', name: VICTIM_TABLE }],
      pidfile: null,
      dnsmasqPid: null,
      sysctls: {},
      netns: world.host,
      nsId: null,
      startedAt: '2024-01-01T00:00:00.000Z',
      undo: [{ step: 'files', title: 'Remove files', commands: shellUndo() }]
    })

  /** A v2 record of NET in this store, with `over` replacing fields. */
  const v2Record = (over: Record<string, unknown> = {}): string =>
    JSON.stringify({
      version: RECORD_VERSION,
      kind: 'journal',
      store,
      network: NET.name,
      uuid: null,
      bridge: NET.bridge,
      hostBridge: null,
      tables: [],
      dnsmasq: null,
      sysctls: [],
      netns: world.host,
      nsId: null,
      startedAt: '2024-01-01T00:00:00.000Z',
      ...over
    })

  /** Nothing the planted records named was touched. */
  async function expectUntouched(): Promise<void> {
    expect(existsSync(canary())).toBe(false)
    expect(existsSync(bystander())).toBe(true)
    expect(await tables()).toEqual(expect.arrayContaining([`inet ${VICTIM_TABLE}`, `inet ${GUESTNET_LOOKALIKE}`]))
    expect(await links()).toEqual(expect.arrayContaining([VICTIM_BRIDGE, OTHER_STORE_BRIDGE]))
  }

  beforeAll(async () => {
    world = await createWorld()
    const inode = (await world.x.inNs(world.host, ['stat', '-L', '-c', '%i', '/proc/self/ns/net'])).stdout.trim()
    cleanLedger = trackLedger(helperPaths(undefined, undefined).ledgerFile(`net:[${inode}]`))
    expectOk(await world.guestnet(['net-define', await writeNetworkXml(world.dir, NET)]))
    store = storeIdOf(realpathSync(world.root))
    runtime = helperPaths(realpathSync(world.root), world.host).plan.runtimeDir
    await writeFile(bystander(), 'a root file the planted undo would remove\n')
    // Another program's tables (one named like guestnet's) and bridges: one of nobody's, one in
    // guestnet's interface group marked by another guestnet store.
    await world.x.inNs(world.host, ['nft', 'add', 'table', 'inet', VICTIM_TABLE])
    await world.x.inNs(world.host, ['nft', 'add', 'table', 'inet', GUESTNET_LOOKALIKE])
    await world.x.ip(world.host, ['link', 'add', VICTIM_BRIDGE, 'type', 'bridge'])
    await world.x.ip(world.host, ['link', 'add', OTHER_STORE_BRIDGE, 'type', 'bridge'])
    await world.x.ip(world.host, ['link', 'set', OTHER_STORE_BRIDGE, 'group', String(GUESTNET_DEVGROUP)])
    await world.x.ip(world.host, ['link', 'set', OTHER_STORE_BRIDGE, 'alias', ownerMark(OTHER_STORE, NET.name)])
    // The runtime directory exists (as the helper makes it: root's, 0755).
    expectOk(await world.guestnet(['reconcile']))
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NET.name])
    cleanLedger?.()
    await world?.dispose()
  })

  it('positive control: a real journal is read and stop removes exactly what it names', async () => {
    expectOk(await world.guestnet(['net-start', NET.name]))
    expect(existsSync(journalFile())).toBe(true)
    expect(await links()).toContain(NET.bridge)
    const stop = await helper('stop', { name: NET.name })
    expect(stop.result, stop.stderr).toMatchObject({ ok: true, value: { state: 'inactive' } })
    expect(await links()).not.toContain(NET.bridge)
    expect(await tables()).not.toContain(`inet guestnet_${NET.name}`)
    expect(existsSync(journalFile())).toBe(false)
    await expectUntouched()
  })

  it('a v1 journal whose undo lists argv is never run: stop refuses it, status and reconcile call it not usable', async () => {
    await writeFile(journalFile(), v1Record('journal'))
    const stop = await helper('stop', { name: NET.name })
    expect(stop.result).toMatchObject({ ok: false, error: { code: 'STORE' } })
    expect(stop.result?.error?.message).toMatch(/not one guestnet can act on \(not a version 2 record\)/)
    await expectUntouched()

    const status = await helper('status', { name: NET.name })
    const entry = (status.result?.value?.networks ?? []).find((n) => n.name === NET.name)
    expect(entry).toMatchObject({ state: 'broken' })
    expect(entry?.problems.join('\n')).toMatch(/journal not usable/)

    const reconcile = await helper('reconcile')
    expect(reconcile.result).toMatchObject({ ok: true })
    expect(JSON.stringify(reconcile.result?.value?.repaired)).toMatch(/quarantine-journal rec: journal not usable/)
    expect(existsSync(journalFile())).toBe(false)
    expect(readdirSync(runtime).filter((f) => f.startsWith(`.${NET.name}.json.broken-`))).toHaveLength(1)
    await expectUntouched()
  })

  it('a v1 start intent with an undo is dropped by reconcile and start, never run', async () => {
    await writeFile(intentFile(), v1Record('intent'))
    const reconcile = await helper('reconcile')
    expect(reconcile.result).toMatchObject({ ok: true })
    expect(JSON.stringify(reconcile.result?.value)).toMatch(/start intent not usable/)
    expect(existsSync(intentFile())).toBe(false)
    await expectUntouched()

    await writeFile(intentFile(), v1Record('intent'))
    const start = await helper('start', { name: NET.name })
    expect(start.result, start.stderr).toMatchObject({ ok: true, value: { state: 'active' } })
    expect(existsSync(intentFile())).toBe(false)
    await expectUntouched()
    expect((await helper('stop', { name: NET.name })).result).toMatchObject({ ok: true })
  })

  it('an undo smuggled into a v2 record is ignored: the undo is derived from the facts', async () => {
    await writeFile(
      journalFile(),
      v2Record({ undo: [{ step: 'files', title: 'x', commands: shellUndo() }], rollback: shellUndo() })
    )
    const stop = await helper('stop', { name: NET.name })
    expect(stop.result, stop.stderr).toMatchObject({ ok: true, value: { state: 'inactive' } })
    expect(existsSync(journalFile())).toBe(false)
    await expectUntouched()
  })

  it("refuses a record written by another store, or whose network is not its file's", async () => {
    for (const [over, why] of [
      [{ store: OTHER_STORE }, /written by another store \(root-000000000000\)/],
      [{ store: 'system' }, /written by another store \(system\)/],
      [{ network: 'other' }, /it is not network rec's/]
    ] as const) {
      await writeFile(journalFile(), v2Record({ ...over, bridge: OTHER_STORE_BRIDGE }))
      const stop = await helper('stop', { name: NET.name })
      expect(stop.result, JSON.stringify(over)).toMatchObject({ ok: false, error: { code: 'STORE' } })
      expect(stop.result?.error?.message).toMatch(why)
      await expectUntouched()
    }
    await rm(journalFile())
  })

  it("refuses a journal naming a table that is not the network's own; nothing is deleted", async () => {
    for (const table of [
      { family: 'inet', name: VICTIM_TABLE },
      { family: 'inet', name: GUESTNET_LOOKALIKE },
      { family: 'ip', name: `guestnet_${NET.name}` }
    ]) {
      await writeFile(journalFile(), v2Record({ tables: [table] }))
      const stop = await helper('stop', { name: NET.name })
      expect(stop.result, table.name).toMatchObject({ ok: false, error: { code: 'STORE' } })
      expect(stop.result?.error?.message).toMatch(/tables must be the network's own/)
      await expectUntouched()
    }
    await rm(journalFile())
  })

  it("a journal naming another program's bridge, or another store's, gets it refused, never deleted", async () => {
    for (const bridge of [VICTIM_BRIDGE, OTHER_STORE_BRIDGE]) {
      await writeFile(journalFile(), v2Record({ bridge }))
      const stop = await helper('stop', { name: NET.name })
      expect(stop.result, bridge).toMatchObject({ ok: false, error: { code: 'STOP_INCOMPLETE' } })
      const said = JSON.stringify(stop.result?.error)
      expect(said).toMatch(
        bridge === VICTIM_BRIDGE ? /not in guestnet's interface group/ : /another guestnet store: the --root store/
      )
      await expectUntouched()
      // The refused journal is kept, so nothing of it is forgotten; reconcile leaves the bridge too.
      expect(existsSync(journalFile())).toBe(true)
      const reconcile = await helper('reconcile')
      expect(reconcile.result).toMatchObject({ ok: true })
      await expectUntouched()
      await rm(journalFile(), { force: true })
    }
  })

  it("a pid file and journal naming another program's process (sleep, a dnsmasq not ours) never get it signalled", async () => {
    const sleeper = world.spawn(['ip', 'netns', 'exec', world.host, 'sleep', '60'])
    const foreignDnsmasq = world.spawn([
      'ip',
      'netns',
      'exec',
      world.host,
      'dnsmasq',
      '--keep-in-foreground',
      '--port=0',
      '--conf-file=/dev/null',
      '--pid-file='
    ])
    await new Promise((r) => setTimeout(r, 200))
    const alive = (pid: number | undefined): boolean => pid !== undefined && existsSync(`/proc/${pid}/cmdline`)
    try {
      for (const child of [sleeper, foreignDnsmasq]) {
        const pid = child.pid as number
        expect(alive(pid)).toBe(true)
        const startTime = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[19])
        await mkdir(join(runtime, NET.name), { recursive: true, mode: 0o755 })
        await writeFile(join(runtime, NET.name, 'dnsmasq.pid'), `${pid}\n`)
        await writeFile(journalFile(), v2Record({ bridge: null, dnsmasq: { pid, startTime } }))
        const stop = await helper('stop', { name: NET.name })
        expect(stop.result, stop.stderr).toMatchObject({ ok: true })
        await new Promise((r) => setTimeout(r, 100))
        expect(alive(pid), `pid ${pid} after stop`).toBe(true)
        await mkdir(join(runtime, NET.name), { recursive: true, mode: 0o755 })
        await writeFile(join(runtime, NET.name, 'dnsmasq.pid'), `${pid}\n`)
        const reconcile = await helper('reconcile')
        expect(JSON.stringify(reconcile.result?.value?.repaired)).toMatch(/not our dnsmasq .*process left alone/)
        await new Promise((r) => setTimeout(r, 100))
        expect(alive(pid), `pid ${pid} after reconcile`).toBe(true)
      }
    } finally {
      sleeper.kill('SIGKILL')
      foreignDnsmasq.kill('SIGKILL')
    }
  })

  it("reconcile removes this store's leftovers and leaves other programs' and stores' objects alone", async () => {
    expectOk(await world.guestnet(['net-start', NET.name]))
    // A crash that lost the journal: the bridge, table and dnsmasq are this store's leftovers.
    await rm(journalFile())
    const reconcile = await helper('reconcile')
    expect(reconcile.result, reconcile.stderr).toMatchObject({ ok: true, value: { failed: [] } })
    const repaired = JSON.stringify(reconcile.result?.value?.repaired)
    expect(repaired).toContain(`delete bridge ${NET.bridge}`)
    expect(repaired).toContain(`delete table inet guestnet_${NET.name}`)
    expect(repaired).toContain('stop dnsmasq')
    expect(await links()).not.toContain(NET.bridge)
    expect(await tables()).not.toContain(`inet guestnet_${NET.name}`)
    expect(JSON.stringify(reconcile.result?.value?.left)).toMatch(
      new RegExp(`nft table inet ${GUESTNET_LOOKALIKE} is not this store's \\(no guestnet owner mark\\): left alone`)
    )
    await expectUntouched()
    const pids = (await world.x.run(['ip', 'netns', 'pids', world.host])).stdout.trim()
    expect(pids).toBe('')
  })
})
