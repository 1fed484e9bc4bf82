import { describe, expect, it } from 'vitest'

import type { LedgerOwner } from './sysctl-ledger'
import {
  acquireSysctl,
  formatLedger,
  holdsSysctl,
  keysOf,
  normalizeSysctlValue,
  parseLedger,
  rebuildLedger,
  releaseSysctl
} from './sysctl-ledger'

const FWD = 'net.ipv4.ip_forward'
const a: LedgerOwner = { store: 'system', network: 'a', bridge: 'virbr1' }
const b: LedgerOwner = { store: 'root-0123456789ab', network: 'a', bridge: 'virbr2' }
const everyone = (): boolean => true
const nobody = (): boolean => false

describe('the namespace sysctl ledger', () => {
  it('records the original value once and writes only when it differs', () => {
    const first = acquireSysctl({}, FWD, a, '0\n', '1', everyone)
    expect(first.write).toBe(true)
    expect(first.ledger[FWD]).toEqual({ original: '0', value: '1', owners: [a] })
    const second = acquireSysctl(first.ledger, FWD, b, '1', '1', everyone)
    expect(second.write).toBe(false)
    expect(second.ledger[FWD]).toEqual({ original: '0', value: '1', owners: [a, b] })
  })

  it('lets only a holder of the value set it again (the guardian), never another network or value', () => {
    const { ledger } = acquireSysctl({}, FWD, a, '0\n', '1', everyone)
    expect(holdsSysctl(ledger, FWD, a, '1')).toBe(true)
    expect(holdsSysctl(ledger, FWD, b, '1')).toBe(false)
    expect(holdsSysctl(ledger, FWD, a, '0')).toBe(false)
    expect(holdsSysctl(ledger, 'net.ipv6.conf.all.forwarding', a, '1')).toBe(false)
  })

  it('keeps forwarding on while a network of any store runs; the last one out restores it', () => {
    let l = acquireSysctl({}, FWD, a, '0', '1', everyone).ledger
    l = acquireSysctl(l, FWD, b, '1', '1', everyone).ledger
    const outA = releaseSysctl(l, FWD, a, '1', everyone)
    expect(outA.restore).toBeNull()
    const outB = releaseSysctl(outA.ledger, FWD, b, '1', everyone)
    expect(outB.restore).toBe('0')
    expect(outB.ledger).toEqual({})
  })

  it('counts live owners, not the list: an owner whose bridge is gone keeps nothing up', () => {
    let l = acquireSysctl({}, FWD, a, '0', '1', everyone).ledger
    l = acquireSysctl(l, FWD, b, '1', '1', everyone).ledger
    expect(releaseSysctl(l, FWD, a, '1', nobody).restore).toBe('0')
  })

  it('takes the current value as the original when no owner runs and the value is not ours any more', () => {
    const stale = acquireSysctl({}, FWD, a, '0', '1', everyone).ledger
    // The namespace was recreated (forwarding 1 there), or an admin changed it since a crash.
    const fresh = acquireSysctl(stale, FWD, b, '2', '1', nobody)
    expect(fresh.ledger[FWD]).toEqual({ original: '2', value: '1', owners: [b] })
    // A leftover with the value still ours keeps its original (a crash, then a new start).
    expect(acquireSysctl(stale, FWD, b, '1', '1', nobody).ledger[FWD].original).toBe('0')
  })

  it('leaves a value the admin changed after guestnet set it', () => {
    const l = acquireSysctl({}, FWD, a, '0', '1', everyone).ledger
    expect(releaseSysctl(l, FWD, a, '0', everyone).restore).toBeNull()
    expect(releaseSysctl(l, FWD, a, null, everyone).restore).toBeNull()
  })

  it('parses only what it writes, and says why not: never an empty ledger instead', () => {
    const l = acquireSysctl({}, FWD, a, '0', '1', everyone).ledger
    expect(parseLedger(formatLedger(l, null))).toEqual({ ok: true, ledger: l, namespace: null })
    expect(parseLedger(formatLedger(l, 'guestnet-ns:ab'))).toEqual({ ok: true, ledger: l, namespace: 'guestnet-ns:ab' })
    for (const bad of ['', '{', '[]', '{"version":1,"entries":{}}', '{"version":2,"entries":{"k":{"value":"1"}}}']) {
      expect(parseLedger(bad).ok, bad).toBe(false)
    }
  })

  it('repairs by rebuilding from what runs, with unknown originals left as they are at the end', () => {
    const l = rebuildLedger([{ owner: a, keys: [FWD] }], () => '1\n')
    expect(l[FWD]).toEqual({ original: null, value: '1', owners: [a] })
    const out = releaseSysctl(l, FWD, a, '1', everyone)
    expect(out.restore).toBeNull()
    expect(out.note).toMatch(/unknown/)
    expect(keysOf(l, a)).toEqual([FWD])
    expect(keysOf(l, b)).toEqual([])
  })

  it('normalises values as the kernel prints them', () => {
    expect(normalizeSysctlValue('4096\t87380\t6291456\n')).toBe('4096 87380 6291456')
  })
})
