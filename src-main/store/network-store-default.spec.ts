import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import type { HostFacts } from '../core/model/host-facts'
import { pathExists } from './atomic-file'
import { NetworkStore } from './network-store'

const NO_FACTS: HostFacts = { addresses: [], routes: [] }
/** A host whose LAN is 192.168.122.0/24, so the default's usual range is taken. */
const CLASH_FACTS: HostFacts = {
  addresses: [{ ifname: 'wlan0', family: 4, address: '192.168.122.40', prefix: 24 }],
  routes: [{ family: 4, dst: '192.168.122.0/24', dev: 'wlan0', table: 'main' }]
}

let root: string
let uuidCount: number

function openStore(): NetworkStore {
  let b = 0x21
  return new NetworkStore({
    root,
    randomUUID: () => `00000000-0000-4000-8000-${String(++uuidCount).padStart(12, '0')}`,
    randomBytes: (n) => Uint8Array.from({ length: n }, () => b++ & 0xff)
  })
}

const defaultFile = (): string => join(root, 'etc/guestnet/networks/default.xml')

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'guestnet-default-'))
  uuidCount = 0
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('ensureDefault', () => {
  it('creates the default network once: NAT on virbr0, 192.168.122.0/24, a ULA /64, autostart', async () => {
    const store = openStore()
    const r = await store.ensureDefault(NO_FACTS)
    expect(r.action).toBe('created')
    if (r.action !== 'created') return
    const { ula } = await store.hostConfig()
    const ulaBase = ula.replace('::/48', '')
    expect(r.entry.def).toMatchObject({
      name: 'default',
      uuid: '00000000-0000-4000-8000-000000000001',
      forward: { mode: 'nat' },
      bridge: { name: 'virbr0' },
      ips: [
        {
          family: 'ipv4',
          address: '192.168.122.1',
          prefix: 24,
          dhcp: { ranges: [{ start: '192.168.122.2', end: '192.168.122.254' }] }
        },
        { family: 'ipv6', address: `${ulaBase}::1`, prefix: 64 }
      ]
    })
    expect(r.entry.def.mac).toMatch(/^52:54:00:/)
    expect(await store.autostartOrder()).toEqual(['default'])
    expect(await pathExists(join(root, 'var/lib/guestnet/default-created'))).toBe(true)
    expect(await openStore().ensureDefault(NO_FACTS)).toMatchObject({ action: 'none' })
  })

  it("never rewrites the admin's edits to the default network", async () => {
    await openStore().ensureDefault(NO_FACTS)
    const edited = (await readFile(defaultFile(), 'utf8')).replace('<network>', '<network>\n  <!-- mine now -->')
    await writeFile(defaultFile(), edited)
    expect(await openStore().ensureDefault(CLASH_FACTS)).toMatchObject({ action: 'none' })
    expect(await readFile(defaultFile(), 'utf8')).toBe(edited)
  })

  it('keeps a deleted default deleted across restarts, even if the created marker goes', async () => {
    const store = openStore()
    const r = await store.ensureDefault(NO_FACTS)
    const uuid = r.action === 'created' ? r.entry.def.uuid : undefined
    await store.undefine('default')
    expect(await pathExists(defaultFile())).toBe(false)
    expect(JSON.parse(await readFile(join(root, 'var/lib/guestnet/default-deleted.json'), 'utf8'))).toEqual({ uuid })
    expect(await openStore().ensureDefault(NO_FACTS)).toMatchObject({
      action: 'none',
      reason: expect.stringMatching(/stays deleted/)
    })
    await rm(join(root, 'var/lib/guestnet/default-created'))
    expect(await openStore().ensureDefault(NO_FACTS)).toMatchObject({ action: 'none' })
    expect(await pathExists(defaultFile())).toBe(false)
    expect(await openStore().autostartOrder()).toEqual([])
  })

  it('adopts a default the admin wrote before the first run, without touching it', async () => {
    const xml = "<network><name>default</name><forward mode='nat'/><ip address='10.9.0.1' prefix='24'/></network>\n"
    await mkdir(join(root, 'etc/guestnet/networks'), { recursive: true })
    await writeFile(defaultFile(), xml)
    expect(await openStore().ensureDefault(NO_FACTS)).toEqual({ action: 'adopted' })
    expect(await readFile(defaultFile(), 'utf8')).toBe(xml)
    expect(await openStore().ensureDefault(NO_FACTS)).toMatchObject({ action: 'none' })
  })

  it('avoids a range the host already uses', async () => {
    const r = await openStore().ensureDefault(CLASH_FACTS)
    expect(r.action).toBe('created')
    if (r.action !== 'created') return
    expect(r.entry.def.ips[0].address).not.toMatch(/^192\.168\.122\./)
  })
})

describe('no free range', () => {
  /** Every candidate taken: all of 192.168/16 on the LAN, the whole pool behind a VPN. */
  const FULL: HostFacts = {
    addresses: [],
    routes: [
      { family: 4, dst: '192.168.0.0/16', dev: 'eth0', table: 'main' },
      { family: 4, dst: '10.0.0.0/8', dev: 'tun0', table: '51820' }
    ]
  }

  it('creates nothing and records nothing, so a later start tries again', async () => {
    const store = openStore()
    await store.setRangePool(['10.0.0.0/8'])
    expect(await store.ensureDefault(FULL)).toMatchObject({
      action: 'no-free-range',
      message: expect.stringMatching(/no free IPv4 range/)
    })
    expect(await pathExists(defaultFile())).toBe(false)
    expect(await pathExists(join(root, 'var/lib/guestnet/default-created'))).toBe(false)
    await expect(store.restoreDefault(FULL)).rejects.toMatchObject({
      code: 'NO_FREE_RANGE',
      message: expect.stringMatching(/rangePool/)
    })
    expect(await openStore().ensureDefault(NO_FACTS)).toMatchObject({ action: 'created' })
  })
})

describe('restoreDefault', () => {
  it('brings the deleted default back with its old UUID and a fresh range choice', async () => {
    const store = openStore()
    const first = await store.ensureDefault(NO_FACTS)
    if (first.action !== 'created') throw new Error('not created')
    await store.undefine('default')
    const restored = await openStore().restoreDefault(CLASH_FACTS)
    expect(restored.def.uuid).toBe(first.entry.def.uuid)
    expect(restored.def.ips[0].address).not.toBe('192.168.122.1')
    expect(restored.autostart).toBe(true)
    expect(await pathExists(join(root, 'var/lib/guestnet/default-deleted.json'))).toBe(false)
    expect(await openStore().ensureDefault(NO_FACTS)).toMatchObject({ action: 'none' })
  })

  it('refuses while a default network exists, naming the file and the fix', async () => {
    const store = openStore()
    await store.ensureDefault(NO_FACTS)
    const before = await readFile(defaultFile(), 'utf8')
    await expect(store.restoreDefault(NO_FACTS)).rejects.toMatchObject({
      code: 'DEFAULT_EXISTS',
      message: expect.stringMatching(/default\.xml.*undefine it first/)
    })
    expect(await readFile(defaultFile(), 'utf8')).toBe(before)
  })

  it('reports a corrupt deleted-default record instead of guessing a UUID', async () => {
    await mkdir(join(root, 'var/lib/guestnet'), { recursive: true })
    await writeFile(join(root, 'var/lib/guestnet/default-deleted.json'), 'oops')
    await expect(openStore().restoreDefault(NO_FACTS)).rejects.toMatchObject({
      code: 'DEFAULT_RECORD_CORRUPT',
      message: expect.stringContaining('default-deleted.json')
    })
    expect(await openStore().ensureDefault(NO_FACTS)).toMatchObject({ action: 'none' })
  })
})
