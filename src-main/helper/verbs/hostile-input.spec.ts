/**
 * Hostile definitions reach the verbs as XML or as files someone put in the store: they are
 * refused by the core's validation, with the field named, before any command runs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import type { HostFacts } from '../../core/model/host-facts'
import { NetworkStore } from '../../store/network-store'
import type { OpsDeps } from '../ops/deps'
import { HelperError } from '../../contract/helper-protocol'
import { helperPaths } from '../../core/store/helper-paths'
import type { HelperArgs, HelperVerb } from '../../contract/helper-protocol'
import type { VerbContext } from './context'
import { run as defineRun } from './define'
import { run as startRun } from './start'
import { UNTAGGED_TESTS } from '../state/namespace-tag'

let root: string
let calls: string[]

const FACTS: HostFacts = { addresses: [], routes: [] }

function ctx<V extends HelperVerb>(_verb: V, args: HelperArgs<V>): VerbContext<V> {
  const paths = helperPaths(root, undefined)
  const deps: OpsDeps = {
    paths,
    runnerFor: () => ({
      run: async (argv) => {
        calls.push(argv.join(' '))
      }
    }),
    store: 'system',
    interfaces: () => new Set(['lo']),
    linkMark: () => null,
    tables: async () => [],
    tableMarks: async () => [],
    note: () => undefined,
    namespace: UNTAGGED_TESTS,
    groupBridges: async () => new Set(),
    inspectPidfile: () => ({ state: 'none' }),
    checkPrograms: () => undefined,
    nsId: null,
    netns: null,
    now: () => new Date(0),
    emit: () => undefined,
    shouldStop: () => false
  }
  const store = new NetworkStore({ root })
  return { args, caller: { kind: 'root' }, deps, store: async () => store, hostFacts: async () => FACTS }
}

const xml = (name: string, bridge: string, address: string): string =>
  `<network><name>${name}</name><forward mode='nat'/><bridge name='${bridge}'/><ip address='${address}' prefix='24'/></network>`

async function refusal(p: Promise<unknown>): Promise<HelperError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err
  )
  if (!(e instanceof HelperError)) throw new Error(`expected a HelperError, got ${String(e)}`)
  return e
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gn-hostile-'))
  calls = []
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('hostile definitions', () => {
  it('refuses a network overlapping another one, and stores nothing', async () => {
    await defineRun(ctx('define', { xml: xml('a', 'gnbr1', '10.9.0.1') }))
    const e = await refusal(defineRun(ctx('define', { xml: xml('b', 'gnbr2', '10.9.0.254') })))
    expect(e.code).toBe('INVALID_DEFINITION')
    expect(e.message).toMatch(/overlap/i)
    expect(existsSync(join(root, 'etc/guestnet/networks/b.xml'))).toBe(false)
  })

  it('refuses a 16-byte bridge name', async () => {
    const e = await refusal(defineRun(ctx('define', { xml: xml('a', 'b'.repeat(16), '10.9.0.1') })))
    expect(e.code).toBe('INVALID_DEFINITION')
    expect(e.field).toBe('bridge.name')
  })

  it('refuses names with shell metacharacters inside the XML', async () => {
    const e = await refusal(defineRun(ctx('define', { xml: xml('a;rm -rf /', 'gnbr1', '10.9.0.1') })))
    expect(e.code).toBe('INVALID_DEFINITION')
    expect(e.field).toBe('name')
  })

  it('re-validates a file planted in the store at start: no command runs', async () => {
    await defineRun(ctx('define', { xml: xml('a', 'gnbr1', '10.9.0.1') }))
    // Written behind guestnet's back: overlaps a, bypassing define's checks.
    mkdirSync(join(root, 'etc/guestnet/networks'), { recursive: true })
    writeFileSync(join(root, 'etc/guestnet/networks/b.xml'), xml('b', 'gnbr2', '10.9.0.7'))
    const e = await refusal(startRun(ctx('start', { name: 'b' })))
    expect(e.code).toBe('INVALID_DEFINITION')
    expect(calls).toEqual([])
    expect(existsSync(join(root, 'run/guestnet/b.json'))).toBe(false)
  })

  it('starts nothing for a network that is not defined', async () => {
    const e = await refusal(startRun(ctx('start', { name: 'ghost' })))
    expect(e.code).toBe('NOT_FOUND')
    expect(calls).toEqual([])
  })
})
