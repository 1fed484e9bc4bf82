import { describe, expect, it } from 'vitest'

import {
  acquireSysctl,
  formatLedger,
  normalizeSysctlValue,
  parseLedger,
  releaseSysctl,
  staleOwners
} from './sysctl-ledger'

const FWD = 'net.ipv4.ip_forward'

describe('sysctl ledger', () => {
  it('records the original value once and writes only when it differs', () => {
    const a = acquireSysctl({}, FWD, 'a', '0\n', '1')
    expect(a.write).toBe(true)
    expect(a.ledger[FWD]).toEqual({ original: '0', value: '1', owners: ['a'] })
    const b = acquireSysctl(a.ledger, FWD, 'b', '1', '1')
    expect(b.write).toBe(false)
    expect(b.ledger[FWD]).toEqual({ original: '0', value: '1', owners: ['a', 'b'] })
  })

  it('keeps forwarding on while another network runs; the last one out restores it', () => {
    let l = acquireSysctl({}, FWD, 'a', '0', '1').ledger
    l = acquireSysctl(l, FWD, 'b', '1', '1').ledger
    const outA = releaseSysctl(l, FWD, 'a', '1')
    expect(outA.restore).toBeNull()
    const outB = releaseSysctl(outA.ledger, FWD, 'b', '1')
    expect(outB.restore).toBe('0')
    expect(outB.ledger).toEqual({})
  })

  it('does not turn forwarding off if guestnet did not turn it on', () => {
    const l = acquireSysctl({}, FWD, 'a', '1', '1').ledger
    expect(releaseSysctl(l, FWD, 'a', '1').restore).toBeNull()
  })

  it('leaves a value an admin changed since alone', () => {
    const l = acquireSysctl({}, FWD, 'a', '0', '1').ledger
    expect(releaseSysctl(l, FWD, 'a', '2').restore).toBeNull()
  })

  it('ignores a release by a network that never acquired the key, and a vanished key', () => {
    const l = acquireSysctl({}, FWD, 'a', '0', '1').ledger
    expect(releaseSysctl(l, FWD, 'zzz', '1')).toEqual({ ledger: l, restore: null })
    expect(releaseSysctl(l, FWD, 'a', null).restore).toBeNull()
  })

  it('finds owners that no longer run', () => {
    let l = acquireSysctl({}, FWD, 'a', '0', '1').ledger
    l = acquireSysctl(l, 'net.ipv6.conf.all.forwarding', 'b', '0', '1').ledger
    expect(staleOwners(l, (n) => n === 'a')).toEqual([{ key: 'net.ipv6.conf.all.forwarding', network: 'b' }])
  })

  it('round-trips through its file format and drops malformed entries', () => {
    const l = acquireSysctl({}, FWD, 'a', '0', '1').ledger
    expect(parseLedger(formatLedger(l))).toEqual(l)
    expect(parseLedger('{"entries":{"x":{"original":1}}}')).toEqual({})
    expect(parseLedger('not json')).toEqual({})
  })

  it('normalises whitespace in values', () => {
    expect(normalizeSysctlValue('4096\t87380\t6291456\n')).toBe('4096 87380 6291456')
  })
})
