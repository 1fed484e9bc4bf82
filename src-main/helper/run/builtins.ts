/**
 * The plan's `@` built-ins (see core/model/plan.ts), performed by the helper itself. Every path
 * must lie under the network's runtime or state directory, every sysctl under net.ipv4/net.ipv6.
 */
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { dirname, normalize } from 'node:path'

import type { Argv } from '../../core/model/plan'
import { ensureOwnDirs, errnoCode, readTextNoFollow, removePathSync, writeFileAtomicSync } from '../../store/safe-fs'
import { acquireSysctl, formatLedger, parseLedger, releaseSysctl } from '../state/sysctl-ledger'
import { killPidfile } from './dnsmasq-process'

export interface BuiltinEnv {
  network: string
  artifacts: Readonly<Record<string, string>>
  /** Directories the path arguments must lie under (the plan's runtime and state directories). */
  allowedDirs: readonly string[]
  ledgerFile: string
  /** `/proc/sys`; a temporary directory in tests. */
  procSys?: string
  killPidfile?: (pidfile: string) => Promise<void>
}

export class BuiltinError extends Error {}

const SYSCTL_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/
const SYSCTL_VALUE = /^[A-Za-z0-9_. -]{1,64}$/

/** Pure: is `path` an absolute, normalised path strictly inside one of `dirs`? */
export function isPathUnder(path: string, dirs: readonly string[]): boolean {
  if (!path.startsWith('/') || path.includes('\0') || normalize(path) !== path || path.endsWith('/')) return false
  return dirs.some((d) => path.startsWith(`${d}/`))
}

/**
 * `/proc/sys/...` for a key in dotted form (`net.ipv4.ip_forward`) or sysctl(8)'s slash form, used
 * when an interface name holds a dot (`net/ipv6/conf/eth0.100/accept_ra`). Only net.ipv4 and net.ipv6.
 */
export function sysctlPath(procSys: string, key: string): string {
  const parts = key.includes('/') ? key.split('/') : key.split('.')
  const ok =
    parts.length >= 3 &&
    parts[0] === 'net' &&
    (parts[1] === 'ipv4' || parts[1] === 'ipv6') &&
    parts.every((p) => SYSCTL_SEGMENT.test(p) && p !== '.' && p !== '..' && (key.includes('/') || !p.includes('.')))
  if (!ok) throw new BuiltinError(`refusing sysctl '${key}': only net.ipv4.* and net.ipv6.* keys are allowed`)
  return `${procSys}/${parts.join('/')}`
}

function arity(argv: Argv, n: number): void {
  if (argv.length !== n) throw new BuiltinError(`${argv[0]} takes ${n - 1} argument(s), got ${argv.length - 1}`)
}

function checkedPath(path: string, env: BuiltinEnv): string {
  if (!isPathUnder(path, env.allowedDirs)) {
    throw new BuiltinError(`refusing path '${path}': the helper writes only under ${env.allowedDirs.join(' and ')}`)
  }
  return path
}

function readLedgerFile(file: string): ReturnType<typeof parseLedger> {
  const text = readTextNoFollow(file)
  return text === null ? {} : parseLedger(text)
}

function readSysctl(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return null
    throw e
  }
}

// The /proc/sys writes go through the thread pool: forwarding changes walk every interface in the
// kernel (~10 ms here), and the other steps of a start or stop run meanwhile.
async function sysctlSet(argv: Argv, env: BuiltinEnv): Promise<void> {
  arity(argv, 3)
  const [, key, value] = argv
  if (!SYSCTL_VALUE.test(value)) throw new BuiltinError(`refusing sysctl value '${value}' for ${key}`)
  const path = sysctlPath(env.procSys ?? '/proc/sys', key)
  const current = readSysctl(path)
  if (current === null) throw new BuiltinError(`sysctl ${key} does not exist (${path})`)
  const d = acquireSysctl(readLedgerFile(env.ledgerFile), key, env.network, current, value)
  // Record first: a crash between the two leaves a record reconcile can undo, never an unrecorded change.
  writeFileAtomicSync(env.ledgerFile, formatLedger(d.ledger))
  if (d.write) await writeFile(path, `${value}\n`)
}

async function sysctlRestore(argv: Argv, env: BuiltinEnv): Promise<void> {
  arity(argv, 2)
  const key = argv[1]
  const path = sysctlPath(env.procSys ?? '/proc/sys', key)
  const ledger = readLedgerFile(env.ledgerFile)
  if (!ledger[key]) return
  const d = releaseSysctl(ledger, key, env.network, readSysctl(path))
  if (d.restore !== null) {
    try {
      await writeFile(path, `${d.restore}\n`)
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') throw e
    }
  }
  writeFileAtomicSync(env.ledgerFile, formatLedger(d.ledger))
}

export async function runBuiltin(argv: Argv, env: BuiltinEnv): Promise<void> {
  switch (argv[0]) {
    case '@write': {
      arity(argv, 3)
      const path = checkedPath(argv[1], env)
      if (!Object.hasOwn(env.artifacts, argv[2]))
        throw new BuiltinError(`@write: the plan has no artifact '${argv[2]}'`)
      const base = env.allowedDirs.find((d) => path.startsWith(`${d}/`)) as string
      ensureOwnDirs(base, dirname(path))
      writeFileAtomicSync(path, env.artifacts[argv[2]])
      return
    }
    case '@remove':
      arity(argv, 2)
      removePathSync(checkedPath(argv[1], env))
      return
    case '@sysctl':
      await sysctlSet(argv, env)
      return
    case '@sysctl-restore':
      await sysctlRestore(argv, env)
      return
    case '@kill-pidfile':
      arity(argv, 2)
      await (env.killPidfile ?? killPidfile)(checkedPath(argv[1], env))
      return
    default:
      throw new BuiltinError(`unknown built-in '${argv[0]}'`)
  }
}
