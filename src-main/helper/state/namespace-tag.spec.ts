import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { readLedgerFile } from './ledger-file'
import { ledgerBelongsHere, sysfsTagger, tagOfAlias } from './namespace-tag'

const TAG = `guestnet-ns:${'0123456789abcdef'.repeat(2)}`

describe('tagOfAlias and ledgerBelongsHere', () => {
  it("tells guestnet's tag from none and from someone else's alias", () => {
    expect(tagOfAlias('\n')).toEqual({ kind: 'untagged' })
    expect(tagOfAlias(`${TAG}\n`)).toEqual({ kind: 'tagged', tag: TAG })
    expect(tagOfAlias('guestnet-ns:short')).toEqual({ kind: 'foreign' })
    expect(tagOfAlias('loopback of the lab')).toEqual({ kind: 'foreign' })
  })

  it('reads a ledger as this namespace’s only with its tag, or where no tag can be kept', () => {
    expect(ledgerBelongsHere(TAG, { kind: 'tagged', tag: TAG })).toBe(true)
    expect(ledgerBelongsHere(null, { kind: 'tagged', tag: TAG })).toBe(false)
    expect(ledgerBelongsHere(`${TAG.slice(0, -1)}0`, { kind: 'tagged', tag: TAG })).toBe(false)
    expect(ledgerBelongsHere(TAG, { kind: 'untagged' })).toBe(false)
    expect(ledgerBelongsHere(null, { kind: 'init' })).toBe(true)
    expect(ledgerBelongsHere(null, { kind: 'foreign' })).toBe(true)
  })
})

describe('readLedgerFile and the sysfs tagger', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gn-nstag-'))
    mkdirSync(join(dir, 'net', 'lo'), { recursive: true })
    writeFileSync(join(dir, 'net', 'lo', 'ifalias'), '\n')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  const ledger = (namespace: string | null): string =>
    JSON.stringify({ version: 2, namespace, entries: { k: { original: '0', value: '1', owners: [] } } })

  it('reads its own ledger, takes a dead namespace’s as none, and reports one that does not read', () => {
    const file = join(dir, 'l.json')
    expect(readLedgerFile(file, { kind: 'tagged', tag: TAG })).toEqual({ ok: true, ledger: {}, stale: false })
    writeFileSync(file, ledger(TAG))
    expect(readLedgerFile(file, { kind: 'tagged', tag: TAG })).toMatchObject({ ok: true, stale: false })
    expect(Object.keys((readLedgerFile(file, { kind: 'tagged', tag: TAG }) as { ledger: object }).ledger)).toEqual([
      'k'
    ])
    expect(readLedgerFile(file, { kind: 'tagged', tag: `${TAG.slice(0, -1)}0` })).toEqual({
      ok: true,
      ledger: {},
      stale: true
    })
    expect(readLedgerFile(file, { kind: 'untagged' })).toEqual({ ok: true, ledger: {}, stale: true })
    writeFileSync(file, 'garbage')
    expect(readLedgerFile(file, { kind: 'tagged', tag: TAG })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not read .*run guestnet reconcile/)
    })
    const link = join(dir, 'link.json')
    symlinkSync(file, link)
    expect(readLedgerFile(link, { kind: 'init' })).toMatchObject({ ok: false, reason: expect.stringMatching(/link/) })
  })

  it('tags an untagged namespace through loopback’s alias; a namespace shared with pid 1 is never tagged', () => {
    const proc = join(dir, 'proc')
    mkdirSync(join(proc, 'self', 'ns'), { recursive: true })
    mkdirSync(join(proc, '1', 'ns'), { recursive: true })
    symlinkSync('net:[4026531840]', join(proc, '1', 'ns', 'net'))
    symlinkSync('net:[4026532999]', join(proc, 'self', 'ns', 'net'))
    const t = sysfsTagger(join(dir, 'net'), proc)
    expect(t.read()).toEqual({ kind: 'untagged' })
    const tag = t.tag()
    expect(tag).toMatch(/^guestnet-ns:[0-9a-f]{32}$/)
    expect(readFileSync(join(dir, 'net', 'lo', 'ifalias'), 'utf8')).toBe(tag)
    expect(t.read()).toEqual({ kind: 'tagged', tag })
    const init = join(dir, 'proc-init')
    mkdirSync(join(init, 'self', 'ns'), { recursive: true })
    mkdirSync(join(init, '1', 'ns'), { recursive: true })
    symlinkSync('net:[4026531840]', join(init, '1', 'ns', 'net'))
    symlinkSync('net:[4026531840]', join(init, 'self', 'ns', 'net'))
    expect(sysfsTagger(join(dir, 'net'), init).read()).toEqual({ kind: 'init' })
  })
})
