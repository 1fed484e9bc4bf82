/**
 * The doctor's sysctl built-ins: `@doctor-sysctl KEY VALUE` and `@doctor-sysctl-restore KEY OLD
 * EXPECTED` (put OLD back only while the value is still EXPECTED, the one the fix set). Only the
 * keys the checks change, only the values 0, 1 and 2; inside /proc/sys of the helper's namespace.
 */
import { readFileSync, writeFileSync } from 'node:fs'

const IF = '[A-Za-z0-9_:@+-]{1,15}'
const IF_WITH_DOT = '[A-Za-z0-9_.:@+-]{1,15}'
const ALLOWED_KEYS = [
  /^net\.ipv4\.ip_forward$/,
  /^net\.ipv6\.conf\.all\.forwarding$/,
  new RegExp(`^net\\.ipv6\\.conf\\.${IF}\\.accept_ra$`),
  new RegExp(`^net/ipv6/conf/${IF_WITH_DOT}/accept_ra$`),
  /^net\.bridge\.bridge-nf-call-ip6?tables$/
]
const VALUE = /^[012]$/

/** Why the key may not be touched, or null. */
export function doctorSysctlKeyProblem(key: string): string | null {
  if (!ALLOWED_KEYS.some((re) => re.test(key)))
    return `refusing sysctl '${key}': the doctor changes only forwarding, accept_ra and bridge-nf-call keys`
  if (key.split(/[./]/).some((p) => p === '' || p === '..')) return `refusing sysctl '${key}'`
  return null
}

export function doctorSysctlValueProblem(value: string): string | null {
  return VALUE.test(value) ? null : `refusing sysctl value '${value}': only 0, 1 or 2`
}

export function sysctlFile(procSys: string, key: string): string {
  return `${procSys}/${key.includes('/') ? key : key.replace(/\./g, '/')}`
}

export interface SysctlIo {
  procSys: string
  read(path: string): string
  write(path: string, value: string): void
}

export const realSysctlIo: SysctlIo = {
  procSys: '/proc/sys',
  read: (path) => readFileSync(path, 'utf8').trim(),
  write: (path, value) => writeFileSync(path, `${value}\n`)
}

function check(key: string, ...values: string[]): void {
  const problem = doctorSysctlKeyProblem(key) ?? values.map(doctorSysctlValueProblem).find((p) => p !== null) ?? null
  if (problem) throw new Error(problem)
}

export function setDoctorSysctl(key: string, value: string, io: SysctlIo = realSysctlIo): void {
  check(key, value)
  io.write(sysctlFile(io.procSys, key), value)
}

/** Restores `old` if the value is still `expected`; returns a note when it was left alone. */
export function restoreDoctorSysctl(
  key: string,
  old: string,
  expected: string,
  io: SysctlIo = realSysctlIo
): string | null {
  check(key, old, expected)
  const path = sysctlFile(io.procSys, key)
  let now: string
  try {
    now = io.read(path)
  } catch {
    return `${key} is gone (its interface was removed): nothing to restore`
  }
  if (now !== expected) return `${key} is ${now} now, not the ${expected} the fix set: left as it is`
  io.write(path, old)
  return null
}
