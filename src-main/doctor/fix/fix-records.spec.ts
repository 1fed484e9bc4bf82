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
  commands: [['@doctor-sysctl', 'net.ipv4.ip_forward', '1']],
  undo: []
}

describe('fix records', () => {
  it('round-trips, and drops malformed entries', () => {
    expect(parseFixRecords(formatFixRecords([rec]))).toEqual([rec])
    expect(parseFixRecords(null)).toEqual([])
    expect(parseFixRecords('{')).toEqual([])
    expect(
      parseFixRecords(JSON.stringify({ fixes: [rec, { ...rec, check: 'rm-rf' }, { ...rec, undo: [[1]] }] }))
    ).toEqual([rec])
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
