import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import type { FixRecord } from '../model'
import { formatFixRecords, parseFixRecords, readFixRecords, writeFixRecords } from './fix-records'

const rec: FixRecord = {
  id: 'forwarding/ipv4',
  check: 'forwarding',
  title: 't',
  appliedAt: '2030-01-01T00:00:00.000Z',
  commands: [['@sysctl', 'net.ipv4.ip_forward', '1']],
  facts: [{ kind: 'sysctl', key: 'net.ipv4.ip_forward' }]
}

describe('fix records', () => {
  it('round-trips, and drops malformed entries', () => {
    expect(parseFixRecords(formatFixRecords([rec]))).toEqual([rec])
    expect(parseFixRecords(null)).toEqual([])
    expect(parseFixRecords('{')).toEqual([])
    expect(
      parseFixRecords(JSON.stringify({ version: 2, fixes: [rec, { ...rec, check: 'rm-rf' }, { ...rec, facts: [1] }] }))
    ).toEqual([rec])
  })

  it('holds facts, never commands to run: a planted undo argv or a fact outside the shapes drops the record', () => {
    const planted = { ...rec, undo: [['sh', '-c', 'touch /tmp/PWNED']], facts: undefined }
    const sneaky = { ...rec, facts: [{ kind: 'iptables', program: 'sh', op: '-I', chain: '-c', spec: ['id'] }] }
    const kernel = { ...rec, facts: [{ kind: 'sysctl', key: 'kernel.core_pattern' }] }
    const v1 = { fixes: [{ ...rec, undo: [['iptables-nft', '-D', 'FORWARD', '-j', 'ACCEPT']] }] }
    expect(parseFixRecords(JSON.stringify({ version: 2, fixes: [planted, sneaky, kernel] }))).toEqual([])
    expect(parseFixRecords(JSON.stringify(v1))).toEqual([])
  })

  it('lives in the runtime directory and goes away when empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gn-doctor-rec-'))
    try {
      writeFixRecords(dir, [rec])
      expect(readFixRecords(dir)).toEqual([rec])
      writeFixRecords(dir, [])
      expect(readFixRecords(dir)).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
