import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import type { SysctlIo } from './doctor-sysctl'
import { doctorSysctlKeyProblem, restoreDoctorSysctl, setDoctorSysctl, sysctlFile } from './doctor-sysctl'

let dir: string
let io: SysctlIo

function put(key: string, value: string): void {
  const path = sysctlFile(dir, key)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${value}\n`)
}
const get = (key: string): string => readFileSync(sysctlFile(dir, key), 'utf8').trim()

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gn-doctor-sysctl-'))
  io = { procSys: dir, read: (p) => readFileSync(p, 'utf8').trim(), write: (p, v) => writeFileSync(p, `${v}\n`) }
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('doctor sysctls', () => {
  it('allows only the keys the checks change', () => {
    for (const k of [
      'net.ipv4.ip_forward',
      'net.ipv6.conf.all.forwarding',
      'net.ipv6.conf.wlan0.accept_ra',
      'net/ipv6/conf/eth0.100/accept_ra',
      'net.bridge.bridge-nf-call-ip6tables'
    ]) {
      expect(doctorSysctlKeyProblem(k), k).toBeNull()
    }
    for (const k of [
      'kernel.core_pattern',
      'net.ipv4.conf.all.rp_filter',
      'net.ipv6.conf.all.accept_ra/../../x',
      'net/ipv6/conf/../accept_ra',
      'net.ipv6.conf.a.b.accept_ra'
    ]) {
      expect(doctorSysctlKeyProblem(k), k).not.toBeNull()
    }
  })

  it('sets, and restores only while the value is still the one set', () => {
    put('net.ipv4.ip_forward', '0')
    setDoctorSysctl('net.ipv4.ip_forward', '1', io)
    expect(get('net.ipv4.ip_forward')).toBe('1')
    expect(restoreDoctorSysctl('net.ipv4.ip_forward', '0', '1', io)).toBeNull()
    expect(get('net.ipv4.ip_forward')).toBe('0')
    put('net.ipv6.conf.wlan0.accept_ra', '0')
    expect(restoreDoctorSysctl('net.ipv6.conf.wlan0.accept_ra', '1', '2', io)).toMatch(
      /is 0 now, not the 2 the fix set: left as it is/
    )
    expect(get('net.ipv6.conf.wlan0.accept_ra')).toBe('0')
    expect(restoreDoctorSysctl('net.ipv6.conf.gone0.accept_ra', '1', '2', io)).toMatch(/gone/)
  })

  it('refuses other values', () => {
    put('net.ipv4.ip_forward', '0')
    expect(() => setDoctorSysctl('net.ipv4.ip_forward', '3', io)).toThrow(/only 0, 1 or 2/)
    expect(() => setDoctorSysctl('kernel.panic', '1', io)).toThrow(/refusing sysctl/)
  })
})
