import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import type { HostFacts } from '../core/model/host-facts'
import type { OkNetworkEntry } from './network-store'
import { NetworkStore } from './network-store'
import { StoreError } from './store-error'

const NO_FACTS: HostFacts = { addresses: [], routes: [] }

const WEB_XML = `<network>
  <!-- lab network: ask Ana before changing -->
  <name>web</name>
  <forward mode='nat'/>
  <ip address='10.77.0.1' prefix='24'>
    <dhcp>
      <range start='10.77.0.10' end='10.77.0.99'/>
    </dhcp>
  </ip>
</network>
`

const netXml = (name: string, third: number, extra = ''): string =>
  `<network><name>${name}</name>${extra}<forward mode='nat'/><ip address='10.${third}.0.1' prefix='24'/></network>\n`

let root: string
let uuidCount: number
let byteSeed: number

/** A store with predictable randomness: UUIDs …0001, …0002, and bytes counting up from a seed. */
function openStore(seed = 1): NetworkStore {
  byteSeed = seed
  return new NetworkStore({
    root,
    randomUUID: () => `00000000-0000-4000-8000-${String(++uuidCount).padStart(12, '0')}`,
    randomBytes: (n) => Uint8Array.from({ length: n }, () => byteSeed++ & 0xff),
    now: () => new Date('2026-01-02T03:04:05Z')
  })
}

async function mustDefine(store: NetworkStore, input: Parameters<NetworkStore['define']>[0]): Promise<OkNetworkEntry> {
  const r = await store.define(input)
  if (!r.ok) throw new Error(`define failed: ${JSON.stringify(r.problems)}`)
  return r.entry
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'guestnet-store-'))
  uuidCount = 0
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('define', () => {
  it('writes one 0644 file per network with a generated UUID, MAC and bridge, and no temporary files', async () => {
    const store = openStore(0xa0)
    const entry = await mustDefine(store, WEB_XML)
    expect(entry.def.uuid).toBe('00000000-0000-4000-8000-000000000001')
    expect(entry.def.mac).toBe('52:54:00:a0:a1:a2')
    expect(entry.def.bridge?.name).toBe('virbr1')
    const file = join(root, 'etc/guestnet/networks/web.xml')
    expect(entry.file).toBe(file)
    const text = await readFile(file, 'utf8')
    expect(text).toBe(entry.xml)
    expect(text).toContain('00000000-0000-4000-8000-000000000001')
    expect(text).toContain('52:54:00:a0:a1:a2')
    expect(text).toContain('lab network: ask Ana before changing')
    expect((await stat(file)).mode & 0o777).toBe(0o644)
    expect((await stat(join(root, 'etc/guestnet/networks'))).mode & 0o777).toBe(0o755)
    expect(await readdir(join(root, 'etc/guestnet/networks'))).toEqual(['web.xml'])
  })

  it('keeps the UUID, MAC and bridge on redefine, also in a new store instance (a restart)', async () => {
    const first = await mustDefine(openStore(), WEB_XML)
    const again = await mustDefine(openStore(0x40), WEB_XML.replace("'10.77.0.99'", "'10.77.0.120'"))
    expect(again.def.uuid).toBe(first.def.uuid)
    expect(again.def.mac).toBe(first.def.mac)
    expect(again.def.bridge?.name).toBe(first.def.bridge?.name)
    expect(again.def.ips[0].dhcp?.ranges[0].end).toBe('10.77.0.120')
    const listed = await openStore().get('web')
    expect(listed).toMatchObject({ state: 'ok', def: { uuid: first.def.uuid } })
  })

  it('refuses a different UUID for an existing name and a UUID another network holds', async () => {
    const store = openStore()
    const web = await mustDefine(store, WEB_XML)
    const other = 'aaaaaaaa-0000-4000-8000-000000000000'
    const r1 = await store.define(WEB_XML.replace('<name>web</name>', `<name>web</name><uuid>${other}</uuid>`))
    expect(r1).toMatchObject({
      ok: false,
      problems: [{ field: 'uuid', message: expect.stringContaining(web.def.uuid!) }]
    })
    const same = await store.define(
      WEB_XML.replace('<name>web</name>', `<name>web</name><uuid>${web.def.uuid!.toUpperCase()}</uuid>`)
    )
    expect(same.ok).toBe(true)
    const r2 = await store.define(netXml('db', 78, `<uuid>${web.def.uuid}</uuid>`))
    expect(r2).toMatchObject({
      ok: false,
      problems: [{ field: 'uuid', message: expect.stringContaining("network 'web'") }]
    })
    expect(await store.get('db')).toBeNull()
  })

  it('keeps the admin comments when a NetworkDef edit redefines the network', async () => {
    const store = openStore()
    const web = await mustDefine(store, WEB_XML)
    const edited = structuredClone(web.def)
    edited.ips[0].dhcp!.ranges[0].start = '10.77.0.20'
    delete edited.uuid
    const again = await mustDefine(store, edited)
    expect(again.xml).toContain('lab network: ask Ana before changing')
    expect(again.xml).toContain('10.77.0.20')
    expect(again.def.uuid).toBe(web.def.uuid)
    expect(await readFile(again.file, 'utf8')).toBe(again.xml)
  })

  it('takes the comments of XML text given to redefine, and skips the write when nothing changed', async () => {
    const store = openStore()
    const web = await mustDefine(store, WEB_XML)
    const same = await store.define(web.xml)
    expect(same).toMatchObject({ ok: true, changed: false, created: false })
    const rewritten = web.xml.replace('lab network: ask Ana before changing', 'now owned by Bo')
    const again = await mustDefine(store, rewritten)
    expect(again.xml).toContain('now owned by Bo')
    expect(again.xml).not.toContain('ask Ana')
    expect(await readFile(again.file, 'utf8')).toBe(again.xml)
  })

  it('returns problems for bad input and writes nothing', async () => {
    const store = openStore()
    const r = await store.define('<network><name>x</name')
    expect(r.ok).toBe(false)
    const badName = await store.define(netXml('..', 5))
    expect(badName).toMatchObject({ ok: false, problems: [{ field: 'name' }] })
    expect(await store.list()).toEqual([])
  })

  it('gives each new network the next free virbrN, skipping bridges on the host', async () => {
    const store = openStore()
    const facts: HostFacts = {
      addresses: [{ ifname: 'virbr2', family: 4, address: '10.200.0.1', prefix: 24 }],
      routes: []
    }
    const a = await mustDefine(store, netXml('a', 1))
    const b = await store.define(netXml('b', 2), { hostFacts: facts })
    expect(a.def.bridge?.name).toBe('virbr1')
    expect(b.ok && b.entry.def.bridge?.name).toBe('virbr3')
  })
})

describe('list and broken files', () => {
  it('lists a corrupt file as broken, leaves it byte for byte, and still loads the others', async () => {
    const store = openStore()
    await mustDefine(store, WEB_XML)
    const dir = join(root, 'etc/guestnet/networks')
    const garbage = '<network><name>bad</name><ip address=\n'
    await writeFile(join(dir, 'bad.xml'), garbage)
    await writeFile(join(dir, 'mismatch.xml'), netXml('other', 9))
    await writeFile(join(dir, 'web.xml~'), 'editor backup')
    await writeFile(join(dir, '.web.xml.tmp-1-x'), 'leftover')
    const before = await stat(join(dir, 'bad.xml'))

    const list = await openStore().list()
    expect(list.map((e) => [e.name, e.state])).toEqual([
      ['bad', 'broken'],
      ['mismatch', 'broken'],
      ['web', 'ok']
    ])
    expect(list[0]).toMatchObject({
      file: join(dir, 'bad.xml'),
      reason: expect.stringMatching(/not valid network XML.*Fix the file or remove it/)
    })
    expect(list[1]).toMatchObject({
      reason: expect.stringMatching(/<name>other<\/name> but is named mismatch\.xml: rename/)
    })
    expect(await readFile(join(dir, 'bad.xml'), 'utf8')).toBe(garbage)
    expect((await stat(join(dir, 'bad.xml'))).mtimeMs).toBe(before.mtimeMs)
  })

  it('refuses to define over a broken file, and undefine removes it on request', async () => {
    const store = openStore()
    const dir = join(root, 'etc/guestnet/networks')
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'web.xml'), 'not xml')
    const r = await store.define(WEB_XML)
    expect(r).toMatchObject({
      ok: false,
      problems: [{ field: 'name', message: expect.stringMatching(/broken/), fix: expect.stringContaining('web.xml') }]
    })
    expect(await readFile(join(dir, 'web.xml'), 'utf8')).toBe('not xml')
    await store.undefine('web')
    expect(await store.list()).toEqual([])
  })

  it('reports a missing network with its file and the fix', async () => {
    const store = openStore()
    expect(await store.get('nope')).toBeNull()
    expect(await store.get('../etc')).toBeNull()
    const err = await store.undefine('nope').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StoreError)
    expect((err as StoreError).code).toBe('NOT_FOUND')
    expect((err as StoreError).message).toContain(join(root, 'etc/guestnet/networks/nope.xml'))
  })
})

describe('autostart', () => {
  it('starts marked valid networks in code-unit order and drops the mark with the network', async () => {
    const store = openStore()
    for (const [name, n] of [
      ['web', 1],
      ['00default', 2],
      ['Zeta', 3],
      ['db', 4]
    ] as const)
      await mustDefine(store, netXml(name, n))
    for (const name of ['web', '00default', 'Zeta']) await store.setAutostart(name, true)
    expect(await readFile(join(root, 'etc/guestnet/autostart/web'), 'utf8')).toBe('')
    await writeFile(join(root, 'etc/guestnet/autostart/ghost'), '')
    expect(await store.autostartOrder()).toEqual(['00default', 'Zeta', 'web'])
    expect((await store.get('web'))?.state === 'ok' && (await store.get('web'))).toMatchObject({ autostart: true })

    await store.setAutostart('Zeta', false)
    await store.undefine('web')
    expect(await store.autostartOrder()).toEqual(['00default'])
    expect(await readdir(join(root, 'etc/guestnet/autostart'))).toEqual(['00default', 'ghost'])
    await expect(store.setAutostart('nope', true)).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})

describe('host.json', () => {
  it('generates the ULA once and keeps it across restarts', async () => {
    const a = await openStore(0x11).hostConfig()
    expect(a.ula).toMatch(/^fd11:1213:1415::\/48$/)
    const b = await openStore(0x99).hostConfig()
    expect(b).toEqual(a)
  })

  it('reports a corrupt host.json and leaves it alone', async () => {
    const file = join(root, 'etc/guestnet/host.json')
    await mkdir(join(root, 'etc/guestnet'), { recursive: true })
    await writeFile(file, '{"ula": "fd00::/8"')
    const err = (await openStore()
      .hostConfig()
      .catch((e: unknown) => e)) as StoreError
    expect(err.code).toBe('HOST_CONFIG_CORRUPT')
    expect(err.message).toContain(file)
    expect(err.message).toMatch(/fix the file, or remove it/)
    expect(await readFile(file, 'utf8')).toBe('{"ula": "fd00::/8"')
    await expect(openStore().ensureDefault(NO_FACTS)).rejects.toMatchObject({ code: 'HOST_CONFIG_CORRUPT' })
    expect(await openStore().list()).toEqual([])
  })

  it('sets the range pool, keeping keys it does not know', async () => {
    const store = openStore()
    const { ula } = await store.hostConfig()
    const file = join(root, 'etc/guestnet/host.json')
    await writeFile(file, JSON.stringify({ ula, note: 'mine' }))
    expect(await store.setRangePool(['172.16.0.0/12'])).toEqual({ ula, rangePool: ['172.16.0.0/12'] })
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ ula, note: 'mine', rangePool: ['172.16.0.0/12'] })
    await expect(store.setRangePool(['172.16.0.0/28'])).rejects.toMatchObject({ code: 'INVALID' })
    expect(await store.setRangePool(undefined)).toEqual({ ula })
  })
})

describe('constructor', () => {
  it('refuses a relative root', () => {
    expect(() => new NetworkStore({ root: 'var/tmp' })).toThrow(/relative path/)
  })
})
