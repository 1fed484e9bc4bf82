import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { storeLayout } from '../../core/store/store-layout'
import { channels } from '../../contract/ipc-contract'
import type { DefaultRecords } from './default-state'
import { defaultStateOf, readDefaultRecords } from './default-state'

const none: DefaultRecords = { exists: false, created: false, deletedUuid: null, deletedRecordCorrupt: false }
const UUID = '0f2c3b8e-1d1a-4c52-9a43-6c6f1b0e7d21'

describe('defaultStateOf', () => {
  it('a store that never had a default is a first run', () => {
    expect(defaultStateOf(none)).toEqual({ exists: false, created: false, defaultDeleted: false, deletedUuid: null })
  })
  it('a created default that is gone was deleted on purpose', () => {
    expect(defaultStateOf({ ...none, created: true, deletedUuid: UUID })).toMatchObject({
      defaultDeleted: true,
      deletedUuid: UUID
    })
    // The marker alone (the record lost), the record alone (the marker lost), a corrupt record: all deleted.
    expect(defaultStateOf({ ...none, created: true }).defaultDeleted).toBe(true)
    expect(defaultStateOf({ ...none, deletedUuid: UUID }).defaultDeleted).toBe(true)
    expect(defaultStateOf({ ...none, deletedRecordCorrupt: true }).defaultDeleted).toBe(true)
  })
  it('a default that exists is not deleted, whatever stale record is left', () => {
    expect(defaultStateOf({ ...none, exists: true, created: true, deletedUuid: UUID })).toEqual({
      exists: true,
      created: true,
      defaultDeleted: false,
      deletedUuid: null
    })
    expect(defaultStateOf({ ...none, exists: true }).defaultDeleted).toBe(false)
  })
  it('answers what the contract accepts, and the contract refuses an answer without defaultDeleted', () => {
    const out = channels['network:default-state'].output
    expect(out.check(defaultStateOf({ ...none, created: true, deletedUuid: UUID }), '').ok).toBe(true)
    const { defaultDeleted: _, ...missing } = defaultStateOf(none)
    expect(out.check(missing, '')).toMatchObject({ ok: false, issue: { field: 'defaultDeleted' } })
    expect(out.check({ ...defaultStateOf(none), defaultDeleted: 'yes' }, '').ok).toBe(false)
  })
})

describe('readDefaultRecords', () => {
  let root: string
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'guestnet-default-state-'))
  })
  afterEach(async () => {
    await rm(root, { recursive: true, force: true })
  })
  const put = async (path: string, text: string): Promise<void> => {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, text)
  }

  it('reads an empty store as nothing recorded', async () => {
    expect(await readDefaultRecords(storeLayout(root))).toEqual(none)
  })
  it('reads the markers the store writes when the default is deleted', async () => {
    const layout = storeLayout(root)
    await put(layout.defaultCreatedFile, '# created\n')
    await put(layout.defaultDeletedFile, JSON.stringify({ uuid: UUID }))
    expect(await readDefaultRecords(layout)).toEqual({
      exists: false,
      created: true,
      deletedUuid: UUID,
      deletedRecordCorrupt: false
    })
    await put(join(layout.networksDir, 'default.xml'), '<network/>')
    expect((await readDefaultRecords(layout)).exists).toBe(true)
  })
  it('takes a corrupt deleted-default record as deleted', async () => {
    const layout = storeLayout(root)
    await put(layout.defaultDeletedFile, 'not json')
    expect(await readDefaultRecords(layout)).toEqual({ ...none, deletedRecordCorrupt: true })
  })
})
