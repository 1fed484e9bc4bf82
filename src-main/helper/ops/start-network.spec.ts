import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import type { Argv, Plan } from '../../core/model/plan'
import type { CommandRunner } from '../apply-plan'
import { HelperError } from '../../contract/helper-protocol'
import type { HelperPaths } from '../../core/store/helper-paths'
import { helperPaths } from '../../core/store/helper-paths'
import { parseRecord, undoOfRecord } from '../../core/plan/network-record'
import { SYSTEM_STORE } from '../../core/store/store-id'
import type { OpsDeps } from './deps'
import { applyStart } from './start-network'
import { teardown } from './teardown'
import { UNTAGGED_TESTS } from '../state/namespace-tag'

let root: string
let paths: HelperPaths
let calls: string[]
let failOn: string | null
/** Was the journal on disk when each command ran? */
let journalSeen: boolean[]

function plan(): Plan {
  const dir = `${paths.plan.runtimeDir}/n1`
  return {
    network: 'n1',
    bridge: 'gnbr1',
    owner: 'guestnet:system:n1',
    tables: [{ family: 'inet', name: 'guestnet_n1' }],
    steps: [
      { id: 'files', title: 'f', apply: [['ip', 'write']], rollback: [['ip', 'unwrite']] },
      {
        id: 'bridge',
        title: 'b',
        apply: [['ip', 'link', 'add', 'gnbr1']],
        rollback: [['@delete-bridge', 'gnbr1']],
        after: ['files']
      },
      {
        id: 'firewall',
        title: 'fw',
        apply: [['nft', '-f', `${dir}/ruleset.nft`]],
        rollback: [['@delete-table', 'inet', 'guestnet_n1']],
        after: ['files']
      },
      {
        id: 'dnsmasq',
        title: 'd',
        apply: [['dnsmasq', `--conf-file=${dir}/dnsmasq.conf`]],
        rollback: [['@kill-dnsmasq', `${dir}/dnsmasq.pid`]],
        after: ['files', 'bridge']
      }
    ],
    artifacts: {},
    dnsmasqConf: '',
    nftRuleset: 'table inet guestnet_n1 {\n}\n',
    sysctls: {}
  }
}

function deps(patch: Partial<OpsDeps> = {}): OpsDeps {
  const runner: CommandRunner = {
    async run(argv: Argv) {
      const text = argv.join(' ')
      calls.push(text)
      journalSeen.push(existsSync(paths.journal('n1')))
      if (text === failOn) throw new Error(`boom: ${text}`)
    }
  }
  return {
    paths,
    store: SYSTEM_STORE,
    runnerFor: () => runner,
    interfaces: () => new Set(['lo']),
    linkMark: () => null,
    tables: async () => [],
    tableMarks: async () => [],
    note: () => undefined,
    namespace: UNTAGGED_TESTS,
    groupBridges: async () => new Set(),
    inspectPidfile: () => ({ state: 'none' }),
    checkPrograms: () => undefined,
    nsId: 'net:[1]',
    netns: null,
    now: () => new Date(0),
    emit: () => undefined,
    shouldStop: () => false,
    ...patch
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gn-start-'))
  paths = helperPaths(root, undefined)
  // run-request.ts makes these before any verb runs.
  mkdirSync(paths.plan.runtimeDir, { recursive: true })
  mkdirSync(paths.plan.stateDir, { recursive: true })
  calls = []
  journalSeen = []
  failOn = null
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('applyStart', () => {
  it('writes the journal only after every step succeeded, and drops the intent', async () => {
    const v = await applyStart(plan(), 'uuid-1', deps())
    expect(v).toMatchObject({ network: 'n1', bridge: 'gnbr1', state: 'active', alreadyActive: false })
    expect(journalSeen.every((seen) => !seen)).toBe(true)
    const j = parseRecord(readFileSync(paths.journal('n1'), 'utf8'), { network: 'n1', store: SYSTEM_STORE })
    expect(j.ok).toBe(true)
    if (!j.ok) return
    // Facts only: the undo is derived from them, never stored.
    expect(Object.keys(j.record)).not.toContain('undo')
    expect(undoOfRecord(j.record, paths.plan).map((u) => u.step)).toEqual(['dnsmasq', 'firewall', 'bridge', 'files'])
    expect(j.record).toMatchObject({ kind: 'journal', store: 'system', bridge: 'gnbr1', uuid: 'uuid-1' })
    expect(j.record.tables).toEqual([{ family: 'inet', name: 'guestnet_n1' }])
    expect(existsSync(paths.intent('n1'))).toBe(false)
  })

  it('writes the intent before the first step', async () => {
    let intentAtFirstStep = false
    const d = deps()
    const inner = d.runnerFor('n1', { bridge: 'gnbr1' })
    await applyStart(plan(), null, {
      ...d,
      runnerFor: () => ({
        run: async (argv) => {
          if (calls.length === 0) intentAtFirstStep = existsSync(paths.intent('n1'))
          await inner.run(argv)
        }
      })
    })
    expect(intentAtFirstStep).toBe(true)
  })

  for (const failing of ['ip write', 'ip link add gnbr1', `nft -f RULESET`, 'dnsmasq CONF']) {
    it(`a failure at '${failing}' rolls back, reports the original error, leaves no journal and no intent`, async () => {
      const dir = `${paths.plan.runtimeDir}/n1`
      failOn = failing.replace('RULESET', `${dir}/ruleset.nft`).replace('CONF', `--conf-file=${dir}/dnsmasq.conf`)
      const err = await applyStart(plan(), null, deps()).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(HelperError)
      expect((err as HelperError).code).toBe('STEP_FAILED')
      expect((err as HelperError).message).toContain(`boom: ${failOn}`)
      expect((err as HelperError).message).toContain('everything it did was rolled back')
      expect(existsSync(paths.journal('n1'))).toBe(false)
      expect(existsSync(paths.intent('n1'))).toBe(false)
      expect(existsSync(dir)).toBe(false)
      expect(calls.some((c) => c === 'ip unwrite')).toBe(true)
    })
  }

  function failingUndo(undo: string): OpsDeps {
    const d = deps()
    const inner = d.runnerFor('n1', { bridge: 'gnbr1' })
    return {
      ...d,
      runnerFor: () => ({
        run: async (argv) => {
          await inner.run(argv)
          if (argv.join(' ') === undo) throw new Error('cannot delete')
        }
      })
    }
  }

  it('keeps the intent when undoing a completed step fails too, and reports both', async () => {
    failOn = `nft -f ${paths.plan.runtimeDir}/n1/ruleset.nft`
    const err = await applyStart(plan(), null, failingUndo('@delete-bridge gnbr1')).then(
      () => {
        throw new Error('expected a failure')
      },
      (e: unknown) => e as HelperError
    )
    expect(err.message).toContain(`boom: ${failOn}`)
    expect(err.message).toContain('run guestnet reconcile')
    expect(err.rollbackErrors).toEqual(['bridge: @delete-bridge gnbr1: cannot delete'])
    expect(existsSync(paths.intent('n1'))).toBe(true)
    expect(existsSync(paths.journal('n1'))).toBe(false)
  })

  it('drops the intent when only the failed step’s own undo fails (it may never have made its piece)', async () => {
    failOn = `nft -f ${paths.plan.runtimeDir}/n1/ruleset.nft`
    const err = await applyStart(plan(), null, failingUndo('@delete-table inet guestnet_n1')).then(
      () => {
        throw new Error('expected a failure')
      },
      (e: unknown) => e as HelperError
    )
    expect(err.rollbackErrors).toEqual(['firewall: @delete-table inet guestnet_n1: cannot delete'])
    expect(existsSync(paths.intent('n1'))).toBe(false)
  })

  it('refuses a bridge name that already exists before doing anything', async () => {
    const err = await applyStart(plan(), null, deps({ interfaces: () => new Set(['gnbr1']) })).then(
      () => {
        throw new Error('expected a failure')
      },
      (e: unknown) => e as HelperError
    )
    expect(err.code).toBe('BRIDGE_TAKEN')
    expect(err.message).toBe("bridge gnbr1 already exists (not created by guestnet): network 'n1' cannot use it")
    expect(calls).toEqual([])
    expect(existsSync(paths.intent('n1'))).toBe(false)
  })

  it('refuses up front when a program is missing, naming the package', async () => {
    const err = await applyStart(
      plan(),
      null,
      deps({
        checkPrograms: () => {
          throw new HelperError('MISSING_PROGRAM', 'dnsmasq is not installed', {
            fix: 'install the Debian package dnsmasq-base: apt-get install dnsmasq-base'
          })
        }
      })
    ).then(
      () => {
        throw new Error('expected a failure')
      },
      (e: unknown) => e as HelperError
    )
    expect(err.code).toBe('MISSING_PROGRAM')
    expect(err.fix).toMatch(/dnsmasq-base/)
    expect(calls).toEqual([])
  })

  it('rolls back and reports INTERRUPTED when a signal arrives mid-start', async () => {
    let stop = false
    const d = deps({
      shouldStop: () => stop,
      emit: (e) => {
        if (e.type === 'step-done' && e.step === 'bridge') stop = true
      }
    })
    const err = await applyStart(plan(), null, d).then(
      () => {
        throw new Error('expected a failure')
      },
      (e: unknown) => e as HelperError
    )
    expect(err.code).toBe('INTERRUPTED')
    // The firewall loads alongside the bridge (its step's `after`), so it was running when the signal came.
    expect(calls).toEqual([
      'ip write',
      'ip link add gnbr1',
      `nft -f ${paths.plan.runtimeDir}/n1/ruleset.nft`,
      '@delete-table inet guestnet_n1',
      '@delete-bridge gnbr1',
      'ip unwrite'
    ])
    expect(existsSync(paths.journal('n1'))).toBe(false)
  })

  it('stop (teardown) replays the journal in order', async () => {
    await applyStart(plan(), null, deps())
    calls = []
    const j = parseRecord(readFileSync(paths.journal('n1'), 'utf8'), { network: 'n1', store: SYSTEM_STORE })
    if (!j.ok) throw new Error(j.reason)
    const report = await teardown(j.record, deps())
    expect(report).toEqual({ errors: [], remaining: [] })
    const dir = `${paths.plan.runtimeDir}/n1`
    expect(calls.slice(0, 4)).toEqual([
      `@kill-dnsmasq ${dir}/dnsmasq.pid`,
      `@remove ${dir}/dnsmasq.pid`,
      '@delete-table inet guestnet_n1',
      '@delete-bridge gnbr1'
    ])
    expect(calls.slice(4)).toContain(`@remove ${dir}/ruleset.nft`)
  })

  it('stop counts a piece that was already gone as done, and reports one that stays', async () => {
    await applyStart(plan(), null, deps())
    const j = parseRecord(readFileSync(paths.journal('n1'), 'utf8'), { network: 'n1', store: SYSTEM_STORE })
    if (!j.ok) throw new Error(j.reason)
    failOn = '@delete-table inet guestnet_n1'
    const gone = await teardown(j.record, deps())
    expect(gone.errors).toHaveLength(1)
    expect(gone.remaining).toEqual([])
    const stays = await teardown(j.record, deps({ tables: async () => [{ family: 'inet', name: 'guestnet_n1' }] }))
    expect(stays.remaining).toEqual(['table inet guestnet_n1'])
  })
})
