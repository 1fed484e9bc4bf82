/**
 * The plan's `@` built-ins (see core/model/plan.ts), performed by the helper itself. They are the
 * one place a network's pieces are removed, whether the undo comes from a plan's rollback or from a
 * record read back (core/plan/network-record.ts), and each checks the piece is this network's before
 * it acts: the bridge by guestnet's interface group and its owner mark, a table by its name and its
 * comment, dnsmasq by its executable, command line and start time. Paths must lie under the network's
 * runtime or state directory; sysctls follow core/plan/sysctl-keys.ts.
 */
import { readFileSync, rmdirSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { dirname, normalize } from 'node:path'

import type { Argv } from '../../core/model/plan'
import { networkPaths } from '../../core/plan/network-paths'
import { nftTableName } from '../../core/plan/nft-names'
import { bridgeSysctlProblem, hostSysctlProblem, sysctlFile } from '../../core/plan/sysctl-keys'
import { describeOwner } from '../../core/store/store-id'
import { ensureOwnDirs, errnoCode, removePathSync, writeFileAtomicSync } from '../../store/safe-fs'
import type { LinkMark } from '../state/live-state'
import { linkMark, parseIpLinkNames, parseTableMarks } from '../state/live-state'
import { withLock } from '../state/lock'
import { readLedgerFile } from '../state/ledger-file'
import type { NamespaceTagger } from '../state/namespace-tag'
import { ledgerTagOf, UNTAGGED_TESTS } from '../state/namespace-tag'
import type { IsLive, Ledger, LedgerOwner } from '../state/sysctl-ledger'
import { acquireSysctl, formatLedger, holdsSysctl, releaseSysctl } from '../state/sysctl-ledger'
import { hupPidfile, killPidfile } from './dnsmasq-process'
import { CommandError } from './exec-program'
import { putInZone, takeOutOfZone } from './firewalld-bus'
import { isInterfaceName } from '../../core/net/ifname'
import { proxyNdp } from './proxy-ndp'
import { VXLAN_NAME } from '../../core/model/span'

/** How the built-ins run a program (ip, nft): through the request's runner. */
export interface ProgramRunner {
  run(argv: Argv): Promise<void>
  output(argv: Argv): Promise<string>
}

export interface BuiltinEnv {
  network: string
  /** The store the network belongs to, and its owner mark (core/store/store-id.ts). */
  store: string
  owner: string
  /** The bridge guestnet makes for the network (null: a host-bridge network). */
  bridge: string | null
  artifacts: Readonly<Record<string, string>>
  /** Directories the path arguments must lie under (the plan's runtime and state directories). */
  allowedDirs: readonly string[]
  /** The plan's runtime directory (the network's files are in `<runtimeDir>/NAME/`). */
  runtimeDir: string
  /** This namespace's sysctl ledger (shared by every store here; sysctl-ledger.ts). */
  ledgerFile: string
  /** A checked directory above it, from which missing directories are made (`/`; a temporary directory in tests). */
  ledgerBase?: string
  /** Tells this namespace's ledger from a dead one's at the same name (none in unit tests). */
  namespace?: NamespaceTagger
  programs: ProgramRunner
  /** Does a ledger owner still run? (its bridge there with its mark) */
  isLive?: IsLive
  /** `/proc/sys`; a temporary directory in tests. */
  procSys?: string
  /** `/sys/class/net`; a temporary directory in tests. */
  sysClassNet?: string
  killPidfile?: (pidfile: string, startTime: number | null) => Promise<void>
  hupPidfile?: (pidfile: string, startTime: number) => void
  /** Notes for the result (a sysctl left alone, say). */
  note?: (line: string) => void
}

export class BuiltinError extends Error {}

/** Something that is not this network's own was about to be touched: refused, nothing done. */
export class ForeignObjectError extends BuiltinError {}

export class LedgerCorruptError extends BuiltinError {}

/** Pure: is `path` an absolute, normalised path strictly inside one of `dirs`? */
export function isPathUnder(path: string, dirs: readonly string[]): boolean {
  if (!path.startsWith('/') || path.includes('\0') || normalize(path) !== path || path.endsWith('/')) return false
  return dirs.some((d) => path.startsWith(`${d}/`))
}

function arity(argv: Argv, min: number, max = min): void {
  const n = argv.length - 1
  if (n < min || n > max)
    throw new BuiltinError(`${argv[0]} takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${n}`)
}

function checkedPath(path: string, env: BuiltinEnv): string {
  if (!isPathUnder(path, env.allowedDirs)) {
    throw new BuiltinError(`refusing path '${path}': the helper writes only under ${env.allowedDirs.join(' and ')}`)
  }
  return path
}

function readSysctl(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return null
    throw e
  }
}

function ledgerOwner(env: BuiltinEnv): LedgerOwner {
  return { store: env.store, network: env.network, bridge: env.bridge ?? '' }
}

/** Ledger changes of this process, one after another (the file lock below is between processes). */
let ledgerQueue: Promise<unknown> = Promise.resolve()

/** Reads, changes and writes the namespace's ledger under its own lock (stores of one namespace share it). */
type LedgerChange<T> = (ledger: Ledger, write: (ledger: Ledger) => void) => Promise<{ ledger: Ledger; value: T }>

function withLedger<T>(env: BuiltinEnv, fn: LedgerChange<T>): Promise<T> {
  const mine = ledgerQueue.then(() => changeLedger(env, fn))
  ledgerQueue = mine.catch(() => undefined)
  return mine
}

async function changeLedger<T>(env: BuiltinEnv, fn: LedgerChange<T>): Promise<T> {
  ensureOwnDirs(env.ledgerBase ?? '/', dirname(env.ledgerFile))
  let empty = false
  const value = await withLock(`${env.ledgerFile}.lock`, async () => {
    const tagger = env.namespace ?? UNTAGGED_TESTS
    let here = tagger.read()
    const read = readLedgerFile(env.ledgerFile, here)
    if (!read.ok) throw new LedgerCorruptError(read.reason)
    if (here.kind === 'untagged') here = { kind: 'tagged', tag: tagger.tag() }
    const write = (ledger: Ledger): void =>
      writeFileAtomicSync(env.ledgerFile, formatLedger(ledger, ledgerTagOf(here)), 0o644)
    const out = await fn(read.ledger, write)
    empty = Object.keys(out.ledger).length === 0
    if (empty) removePathSync(env.ledgerFile)
    else write(out.ledger)
    return out.value
  })
  // The last guestnet network of the namespace is gone: no ledger directory (nor an empty /run/guestnet) stays.
  if (empty) for (const d of [dirname(env.ledgerFile), dirname(dirname(env.ledgerFile))]) removeEmptyDir(d)
  return value
}

function removeEmptyDir(dir: string): void {
  try {
    rmdirSync(dir)
  } catch {
    // not empty (other namespaces' ledgers, the system store's files) or gone: leave it
  }
}

const liveOf = (env: BuiltinEnv): IsLive => env.isLive ?? (() => false)

async function sysctlSet(argv: Argv, env: BuiltinEnv): Promise<void> {
  arity(argv, 2)
  const [, key, value] = argv
  const problem = hostSysctlProblem(key, value)
  if (problem) throw new BuiltinError(problem)
  const path = sysctlFile(env.procSys ?? '/proc/sys', key)
  await withLedger(env, async (ledger, write) => {
    const current = readSysctl(path)
    if (current === null) throw new BuiltinError(`sysctl ${key} does not exist (${path})`)
    const d = acquireSysctl(ledger, key, ledgerOwner(env), current, value, liveOf(env))
    // Recorded first: a crash in between leaves a record reconcile can undo, never an unrecorded change.
    write(d.ledger)
    if (d.write) await writeFile(path, `${value}\n`)
    return { ledger: d.ledger, value: undefined }
  })
}

/** The guardian: a host sysctl this network holds in the ledger, at the value it set, is written again. */
async function sysctlReassert(argv: Argv, env: BuiltinEnv): Promise<void> {
  arity(argv, 2)
  const [, key, value] = argv
  const problem = hostSysctlProblem(key, value)
  if (problem) throw new BuiltinError(problem)
  const path = sysctlFile(env.procSys ?? '/proc/sys', key)
  await withLedger(env, async (ledger) => {
    if (!holdsSysctl(ledger, key, ledgerOwner(env), value)) {
      throw new BuiltinError(`network ${env.network} does not hold ${key}=${value} in the namespace's sysctl ledger`)
    }
    await writeFile(path, `${value}\n`)
    return { ledger, value: undefined }
  })
}

async function sysctlRestore(argv: Argv, env: BuiltinEnv): Promise<void> {
  arity(argv, 1)
  const key = argv[1]
  const problem = hostSysctlProblem(key, '0')
  if (problem) throw new BuiltinError(problem)
  const path = sysctlFile(env.procSys ?? '/proc/sys', key)
  await withLedger(env, async (ledger) => {
    const d = releaseSysctl(ledger, key, ledgerOwner(env), readSysctl(path), liveOf(env))
    if (d.restore !== null) {
      try {
        await writeFile(path, `${d.restore}\n`)
      } catch (e) {
        if (errnoCode(e) !== 'ENOENT') throw e
      }
    }
    if (d.note) env.note?.(d.note)
    return { ledger: d.ledger, value: undefined }
  })
}

async function sysctlBridge(argv: Argv, env: BuiltinEnv): Promise<void> {
  arity(argv, 2)
  const [, key, value] = argv
  const problem = bridgeSysctlProblem(key, value, env.bridge)
  if (problem) throw new BuiltinError(problem)
  await writeFile(sysctlFile(env.procSys ?? '/proc/sys', key), `${value}\n`)
}

/** Pure: why a link is not this network's bridge to delete, or null (it is). */
export function foreignBridge(name: string, mark: LinkMark, owner: string, store: string): string | null {
  if (!mark.inGroup) return `${name} is not in guestnet's interface group: guestnet did not make it`
  if (mark.alias !== owner) return `${name} belongs to ${describeOwner(mark.alias, store)}, not to this network`
  return null
}

async function deleteBridge(argv: Argv, env: BuiltinEnv): Promise<void> {
  arity(argv, 1)
  const name = argv[1]
  if (name !== env.bridge)
    throw new ForeignObjectError(
      `refusing to delete ${name}: network ${env.network}'s bridge is ${env.bridge ?? 'none'}`
    )
  const mark = linkMark(name, env.sysClassNet)
  if (mark === null) return
  const why = foreignBridge(name, mark, env.owner, env.store)
  if (why) throw new ForeignObjectError(`not deleting bridge ${why}`)
  await env.programs.run(['ip', 'link', 'del', name])
}

/** `@delete-vxlan NAME`: a spanning network's VXLAN port, by the same marks as its bridge. */
async function deleteVxlan(argv: Argv, env: BuiltinEnv): Promise<void> {
  arity(argv, 1)
  const name = argv[1]
  if (!VXLAN_NAME.test(name) || env.bridge === null)
    throw new ForeignObjectError(`refusing to delete ${name}: it is not a VXLAN port of guestnet's`)
  const mark = linkMark(name, env.sysClassNet)
  if (mark === null) return
  const why = foreignBridge(name, mark, env.owner, env.store)
  if (why) throw new ForeignObjectError(`not deleting VXLAN port ${why}`)
  await env.programs.run(['ip', 'link', 'del', name])
}

async function deleteTable(argv: Argv, env: BuiltinEnv): Promise<void> {
  arity(argv, 2)
  const [, family, name] = argv
  if ((family !== 'inet' && family !== 'bridge') || name !== nftTableName(env.network)) {
    throw new ForeignObjectError(
      `refusing to delete table ${family} ${name}: network ${env.network}'s are inet and bridge ${nftTableName(env.network)}`
    )
  }
  let listing: string
  try {
    listing = await env.programs.output(['nft', '-a', 'list', 'table', family, name])
  } catch (e) {
    if (e instanceof CommandError && /No such file or directory/.test(e.stderr)) return
    throw e
  }
  const table = parseTableMarks(listing).find((t) => t.family === family && t.name === name)
  if (!table || table.handle === null) throw new BuiltinError(`cannot read table ${family} ${name}'s handle`)
  if (table.comment !== env.owner) {
    throw new ForeignObjectError(
      `not deleting table ${family} ${name}: it belongs to ${describeOwner(table.comment, env.store)}`
    )
  }
  // By handle: exactly the table just checked, even if another of that name appeared since.
  await env.programs.run(['nft', 'delete', 'table', family, 'handle', String(table.handle)])
}

async function killDnsmasq(argv: Argv, env: BuiltinEnv): Promise<void> {
  arity(argv, 1, 2)
  const pidfile = ownPidfile(argv, env)
  const startTime = argv[2] === undefined ? null : Number(argv[2])
  if (startTime !== null && !Number.isSafeInteger(startTime))
    throw new BuiltinError(`@kill-dnsmasq: bad start time '${argv[2]}'`)
  await (env.killPidfile ?? killPidfile)(pidfile, startTime)
}

function ownPidfile(argv: Argv, env: BuiltinEnv): string {
  const pidfile = checkedPath(argv[1], env)
  if (pidfile !== networkPaths({ runtimeDir: env.runtimeDir, stateDir: '' }, env.network).pidfile) {
    throw new ForeignObjectError(`refusing ${pidfile}: it is not network ${env.network}'s dnsmasq pid file`)
  }
  return pidfile
}

/** `@hup-dnsmasq PIDFILE T`: the start time is required, so only the recorded process is signalled. */
function hupDnsmasq(argv: Argv, env: BuiltinEnv): void {
  arity(argv, 2)
  const pidfile = ownPidfile(argv, env)
  const startTime = Number(argv[2])
  if (!/^[1-9][0-9]*$/.test(argv[2]) || !Number.isSafeInteger(startTime))
    throw new BuiltinError(`@hup-dnsmasq: bad start time '${argv[2]}'`)
  ;(env.hupPidfile ?? hupPidfile)(pidfile, startTime)
}

/** `@isolate-ports BRIDGE`: the kernel's isolation flag on every port the network's own bridge has. */
async function isolatePorts(argv: Argv, env: BuiltinEnv): Promise<void> {
  arity(argv, 1)
  const bridge = argv[1]
  if (bridge !== env.bridge)
    throw new ForeignObjectError(
      `refusing to isolate the ports of ${bridge}: network ${env.network}'s bridge is ${env.bridge ?? 'none'}`
    )
  const listing = await env.programs.output(['ip', '-j', 'link', 'show', 'master', bridge])
  const ports = [...parseIpLinkNames(listing)].filter(isInterfaceName)
  for (const port of ports) await env.programs.run(['bridge', 'link', 'set', 'dev', port, 'isolated', 'on'])
}

/** `@firewalld-zone BRIDGE ZONE` / `@firewalld-unzone BRIDGE ZONE`: only ever this network's own bridge. */
async function firewalldZone(argv: Argv, env: BuiltinEnv): Promise<void> {
  arity(argv, 2)
  const [verb, bridge, zone] = argv
  if (bridge !== env.bridge)
    throw new ForeignObjectError(
      `refusing to change the firewalld zone of ${bridge}: network ${env.network}'s bridge is ${env.bridge ?? 'none'}`
    )
  if (verb === '@firewalld-zone') await putInZone(env.programs, bridge, zone)
  else await takeOutOfZone(env.programs, bridge, zone)
}

export async function runBuiltin(argv: Argv, env: BuiltinEnv): Promise<void> {
  switch (argv[0]) {
    case '@write': {
      arity(argv, 2)
      const path = checkedPath(argv[1], env)
      if (!Object.hasOwn(env.artifacts, argv[2]))
        throw new BuiltinError(`@write: the plan has no artifact '${argv[2]}'`)
      const base = env.allowedDirs.find((d) => path.startsWith(`${d}/`)) as string
      ensureOwnDirs(base, dirname(path))
      writeFileAtomicSync(path, env.artifacts[argv[2]])
      return
    }
    case '@remove':
      arity(argv, 1)
      removePathSync(checkedPath(argv[1], env))
      return
    case '@sysctl':
      return sysctlSet(argv, env)
    case '@sysctl-reassert':
      return sysctlReassert(argv, env)
    case '@sysctl-restore':
      return sysctlRestore(argv, env)
    case '@sysctl-bridge':
      return sysctlBridge(argv, env)
    case '@delete-bridge':
      return deleteBridge(argv, env)
    case '@delete-vxlan':
      return deleteVxlan(argv, env)
    case '@delete-table':
      return deleteTable(argv, env)
    case '@kill-dnsmasq':
      return killDnsmasq(argv, env)
    case '@hup-dnsmasq':
      return hupDnsmasq(argv, env)
    case '@isolate-ports':
      return isolatePorts(argv, env)
    case '@firewalld-zone':
    case '@firewalld-unzone':
      return firewalldZone(argv, env)
    case '@proxy-ndp':
    case '@unproxy-ndp':
      return proxyNdp(argv, env)
    default:
      throw new BuiltinError(`unknown built-in '${argv[0]}'`)
  }
}
