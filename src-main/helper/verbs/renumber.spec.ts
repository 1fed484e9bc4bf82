/** The renumber verb on a stopped network: the store is rewritten, nothing runs, hostile targets are refused. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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
import { run } from './renumber'
import { UNTAGGED_TESTS } from '../state/namespace-tag'

let root: string
let calls: string[]
let store: NetworkStore

const FACTS: HostFacts = {
  addresses: [{ ifname: 'wlan0', family: 4, address: '192.168.1.5', prefix: 24 }],
  routes: [{ family: 4, dst: '0.0.0.0/0', gateway: '192.168.1.1', dev: 'wlan0', table: 'main' }]
}

function ctx<V extends HelperVerb>(_verb: V, args: HelperArgs<V>): VerbContext<V> {
  const deps: OpsDeps = {
    paths: helperPaths(root, undefined),
    runnerFor: () => ({ run: async (argv) => void calls.push(argv.join(' ')) }),
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
    now: () => new Date(1_000_000 * 1000),
    emit: () => undefined,
    shouldStop: () => false
  }
  return {
    args: { root, ...args },
    caller: { kind: 'root' },
    deps,
    store: async () => store,
    hostFacts: async () => FACTS
  }
}

const LAB = `<network>
  <name>lab</name>
  <!-- the lab: do not touch -->
  <forward mode='nat'/>
  <bridge name='virbr1'/>
  <ip address='192.168.130.1' prefix='24'>
    <dhcp>
      <range start='192.168.130.100' end='192.168.130.199'/>
      <host mac='52:54:00:00:00:0a' name='db' ip='192.168.130.10'/>
    </dhcp>
  </ip>
</network>
`

async function refusal(p: Promise<unknown>): Promise<HelperError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err
  )
  if (!(e instanceof HelperError)) throw new Error(`expected a HelperError, got ${String(e)}`)
  return e
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'gn-renumber-'))
  calls = []
  store = new NetworkStore({ root })
  const r = await store.define(LAB)
  if (!r.ok) throw new Error(JSON.stringify(r.problems))
  const other = await store.define(
    "<network><name>other</name><bridge name='virbr2'/><ip address='192.168.123.1' prefix='24'/></network>"
  )
  if (!other.ok) throw new Error(JSON.stringify(other.problems))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const file = (): string => readFileSync(join(root, 'etc', 'guestnet', 'networks', 'lab.xml'), 'utf8')

describe('renumber (stopped network)', () => {
  it('rewrites the stored file keeping comment, UUID, MAC, bridge and host parts; runs nothing', async () => {
    const before = file()
    const uuid = /<uuid>([^<]+)</.exec(before)?.[1]
    const mac = /<mac address='([^']+)'/.exec(before)?.[1]
    const v = await run(ctx('renumber', { name: 'lab', to: '10.130.0.0/24' }))
    expect(v).toMatchObject({
      network: 'lab',
      from: '192.168.130.0/24',
      to: '10.130.0.0/24',
      changed: true,
      live: false,
      bridge: 'virbr1'
    })
    const after = file()
    expect(after).toContain('<!-- the lab: do not touch -->')
    expect(after).toContain(`<uuid>${uuid}</uuid>`)
    expect(after).toContain(`<mac address='${mac}'/>`)
    expect(after).toContain("<ip address='10.130.0.1' prefix='24'>")
    expect(after).toContain("<range start='10.130.0.100' end='10.130.0.199'/>")
    expect(after).toContain("<host mac='52:54:00:00:00:0a' name='db' ip='10.130.0.10'/>")
    expect(calls).toEqual([])
  })

  it('picks the first free range when no target is given (not the other network, not its own)', async () => {
    const v = await run(ctx('renumber', { name: 'lab' }))
    expect(v.to).toBe('192.168.124.0/24')
  })

  it('lists guests whose lease is still in the old range', async () => {
    const leases = join(root, 'var', 'lib', 'guestnet', 'dnsmasq')
    mkdirSync(leases, { recursive: true })
    writeFileSync(
      join(leases, 'lab.leases'),
      '2000000 52:54:00:00:00:0b 192.168.130.150 web 01:52:54:00:00:00:0b\n500 52:54:00:00:00:0c 192.168.130.151 gone *\n'
    )
    const v = await run(ctx('renumber', { name: 'lab', to: '10.130.0.0/24' }))
    expect(v.staleGuests).toEqual([{ mac: '52:54:00:00:00:0b', ip: '192.168.130.150', hostname: 'web' }])
    expect(v.message).toMatch(/1 guest\(s\) still hold an old address/)
  })

  it('refuses hostile or clashing targets with the field named, and leaves the file alone', async () => {
    const before = file()
    for (const to of ['$(id)', '../../etc/passwd', '10.0.0.0/8; rm -rf /', '10.130.0.1/24', 'x'.repeat(5000)]) {
      const e = await refusal(run(ctx('renumber', { name: 'lab', to })))
      expect(e.code).toBe('INVALID_DEFINITION')
      expect(e.field).toBe('args.to')
    }
    const host = await refusal(run(ctx('renumber', { name: 'lab', to: '192.168.1.0/24' })))
    expect(host.message).toMatch(/192\.168\.1\.0\/24.*wlan0/)
    const other = await refusal(run(ctx('renumber', { name: 'lab', to: '192.168.123.0/24' })))
    expect(other.message).toMatch(/other/)
    const small = await refusal(run(ctx('renumber', { name: 'lab', to: '10.130.0.0/25' })))
    expect(small.message).toMatch(/does not have/)
    expect(await refusal(run(ctx('renumber', { name: 'nosuch', to: '10.1.0.0/24' })))).toMatchObject({
      code: 'NOT_FOUND'
    })
    expect(file()).toBe(before)
  })
})
