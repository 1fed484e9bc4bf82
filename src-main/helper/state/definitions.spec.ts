import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { buildPlan } from '../../core/plan/build-plan'
import type { StoreLayout } from '../../core/store/store-layout'
import { storeLayout } from '../../core/store/store-layout'
import type { SlowLoader, StoredDefinition } from './definitions'
import { loadDefinitions, readCache } from './definitions'

const GOLDEN = join(__dirname, '../../../test/golden/cases')
const uid = process.getuid?.() ?? 0

const xmlFor = (name: string, third = 122): string => `<network>
  <name>${name}</name>
  <forward mode='nat'/>
  <bridge name='br-${name}'/>
  <ip address='192.168.${third}.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.${third}.2' end='192.168.${third}.254'/></dhcp>
  </ip>
</network>
`

let dir: string
let layout: StoreLayout
let cacheFile: string
let slowCalls: string[]

/** The store's real loader, counting its calls. */
async function countingLoader(): Promise<SlowLoader> {
  const { loadNetworkFile } = await import('../../store/network-files')
  return async (file, name) => {
    slowCalls.push(name)
    const loaded = await loadNetworkFile(file, name, false)
    if (loaded === null) return null
    const e = loaded.entry
    return e.state === 'ok'
      ? { entry: { name, state: 'ok', def: e.def, file }, xml: e.xml }
      : { entry: { name, state: 'broken', reason: e.reason, file } }
  }
}

async function load(): Promise<StoredDefinition[]> {
  return loadDefinitions({ layout, cacheFile, uid, slowLoad: await countingLoader() })
}

function write(name: string, text: string): void {
  writeFileSync(join(layout.networksDir, `${name}.xml`), text)
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gn-defs-'))
  layout = storeLayout(dir)
  mkdirSync(layout.networksDir, { recursive: true })
  cacheFile = join(dir, 'run', 'guestnet', '.definitions.cache')
  mkdirSync(join(dir, 'run', 'guestnet'), { recursive: true })
  slowCalls = []
})

afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('loadDefinitions', () => {
  it('parses each file once, then takes it from the private cache while its text is the same', async () => {
    write('b', xmlFor('b', 123))
    write('a', xmlFor('a'))
    const first = await load()
    expect(first.map((e) => [e.name, e.state])).toEqual([
      ['a', 'ok'],
      ['b', 'ok']
    ])
    expect(slowCalls.sort()).toEqual(['a', 'b'])
    expect(statSync(cacheFile).mode & 0o777).toBe(0o600)
    slowCalls = []
    const second = await load()
    expect(slowCalls).toEqual([])
    expect(second).toEqual(first)
  })

  it('parses again a file whose text changed by one byte, and only that one', async () => {
    write('a', xmlFor('a'))
    write('b', xmlFor('b', 123))
    await load()
    slowCalls = []
    write('b', xmlFor('b', 124))
    const entries = await load()
    expect(slowCalls).toEqual(['b'])
    const b = entries.find((e) => e.name === 'b')
    expect(b?.state === 'ok' && b.def.ips[0].address).toBe('192.168.124.1')
    expect(Object.keys(readCache(cacheFile, uid)).sort()).toEqual(['a', 'b'])
  })

  it('ignores a cache that is not private to the helper: other owner, group/other-writable, a symlink', async () => {
    write('a', xmlFor('a'))
    await load()
    expect(Object.keys(readCache(cacheFile, uid + 1))).toEqual([])
    chmodSync(cacheFile, 0o620)
    slowCalls = []
    await load()
    expect(slowCalls).toEqual(['a'])
    // rewritten private
    expect(statSync(cacheFile).mode & 0o777).toBe(0o600)
    const real = `${cacheFile}.real`
    writeFileSync(real, readFileSync(cacheFile))
    rmSync(cacheFile)
    symlinkSync(real, cacheFile)
    expect(readCache(cacheFile, uid)).toEqual({})
  })

  it('never uses a cached definition for other text, nor a cache it does not understand', async () => {
    write('a', xmlFor('a'))
    await load()
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: Record<string, { xml: string }> }
    cache.entries.a.xml = xmlFor('a', 200)
    writeFileSync(cacheFile, JSON.stringify(cache), { mode: 0o600 })
    slowCalls = []
    const [a] = await load()
    expect(slowCalls).toEqual(['a'])
    expect(a.state === 'ok' && a.def.ips[0].address).toBe('192.168.122.1')
    writeFileSync(cacheFile, '{"version":2,"entries":{}}', { mode: 0o600 })
    expect(readCache(cacheFile, uid)).toEqual({})
    writeFileSync(cacheFile, 'not json', { mode: 0o600 })
    expect(readCache(cacheFile, uid)).toEqual({})
  })

  it('reports broken files and bad file names as the store does, never caches them, drops removed networks', async () => {
    write('a', xmlFor('a'))
    write('bad', '<network><name>bad</name>')
    write('other', xmlFor('not-other'))
    writeFileSync(join(layout.networksDir, '.hidden.xml'), 'x')
    await load()
    slowCalls = []
    const entries = await load()
    expect(entries.map((e) => [e.name, e.state])).toEqual([
      ['a', 'ok'],
      ['bad', 'broken'],
      ['other', 'broken']
    ])
    expect(slowCalls.sort()).toEqual(['bad', 'other'])
    expect(Object.keys(readCache(cacheFile, uid))).toEqual(['a'])
    rmSync(join(layout.networksDir, 'a.xml'))
    await load()
    expect(Object.keys(readCache(cacheFile, uid))).toEqual([])
  })

  it('gives the same definitions and plans from the cache as from parsing (every golden case)', async () => {
    const cases = readdirSync(GOLDEN).filter((f) => f.endsWith('.xml'))
    for (const f of cases) {
      const text = readFileSync(join(GOLDEN, f), 'utf8')
      const name = /<name>([^<]+)<\/name>/.exec(text)?.[1]
      if (name) write(name, text)
    }
    const parsed = await load()
    const cached = await load()
    expect(parsed.filter((e) => e.state === 'ok').length).toBeGreaterThan(5)
    expect(cached).toEqual(parsed)
    const paths = { runtimeDir: '/run/guestnet', stateDir: '/var/lib/guestnet' }
    for (let i = 0; i < parsed.length; i++) {
      const p = parsed[i]
      const c = cached[i]
      if (p.state === 'ok' && c.state === 'ok') expect(buildPlan(c.def, { paths })).toEqual(buildPlan(p.def, { paths }))
    }
  })
})
