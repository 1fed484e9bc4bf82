/** Reconcile, the acting half: observe, decide (reconcile-decide.ts), repair, report. */
import { readFileSync, renameSync } from 'node:fs'

import type { NetworkDef } from '../../core/model/network'
import type { NftTableRef } from '../../core/model/plan'
import { ARTIFACT_KEYS, artifactPath, undoBridge, undoTable } from '../../core/plan/build-plan'
import { networkPaths } from '../../core/plan/network-paths'
import { decodeNftName, NFT_TABLE_PREFIX } from '../../core/plan/nft-names'
import { sysctlFile } from '../../core/plan/sysctl-keys'
import { networkOfMark, storeOfMark } from '../../core/store/store-id'
import { readTextNoFollow, removePathSync, writeFileAtomicSync } from '../../store/safe-fs'
import { killPidfile } from '../run/dnsmasq-process'
import type { RecordState } from '../state/journal'
import { readRecord } from '../state/journal'
import { runtimeEntries } from '../state/runtime-entries'
import type { LinkMark } from '../state/live-state'
import { tableKey } from '../state/live-state'
import type { LedgerOwner } from '../state/sysctl-ledger'
import { readLedgerFile } from '../state/ledger-file'
import { ledgerTagOf } from '../state/namespace-tag'
import { formatLedger, rebuildLedger } from '../state/sysctl-ledger'
import type { OpsDeps } from './deps'
import type { ReconcileAction, ReconcileObservation } from './reconcile-decide'
import { decideReconcile } from './reconcile-decide'
import { releaseAllSysctls, removeNetworkDir, teardown } from './teardown'

export interface ReconcileStep {
  kind: ReconcileAction['kind']
  network: string | null
  what: string
  ok: boolean
  error?: string
}

export interface ReconcileReport {
  steps: ReconcileStep[]
  /** Networks found active and consistent. */
  active: string[]
  /** One line per repair done (empty: nothing to repair). */
  repaired: string[]
  failed: string[]
  /** Things found and deliberately left alone (not this store's, or another namespace's). */
  left: string[]
}

export function tableOwner(t: NftTableRef): string | null {
  if (!t.name.startsWith(NFT_TABLE_PREFIX)) return null
  try {
    return decodeNftName(t.name.slice(NFT_TABLE_PREFIX.length))
  } catch {
    return null
  }
}

function readLedgerState(deps: OpsDeps): ReconcileObservation['ledger'] {
  const read = readLedgerFile(deps.paths.ledgerFile(deps.nsId), deps.namespace.read())
  return read.ok ? { ok: true, owners: Object.values(read.ledger).flatMap((e) => e.owners) } : read
}

export async function observe(deps: OpsDeps, defs: readonly NetworkDef[]): Promise<ReconcileObservation> {
  const { paths } = deps
  const runtimeDir = paths.plan.runtimeDir
  const found = runtimeEntries(runtimeDir)
  const read = (files: Map<string, string>): Map<string, RecordState> => {
    const out = new Map<string, RecordState>()
    for (const [name, f] of files) {
      const rec = readRecord(`${runtimeDir}/${f}`, { network: name, store: deps.store })
      if (rec) out.set(name, rec)
    }
    return out
  }
  const journals = read(found.journals)
  const intents = read(found.intents)
  const networkDirs = found.dirs
  const pidfiles = networkDirs.flatMap((network) => {
    const pidfile = networkPaths(paths.plan, network).pidfile
    let exists: boolean
    try {
      exists = readTextNoFollow(pidfile, 64) !== null
    } catch {
      exists = true
    }
    if (!exists) return []
    return [{ network, pidfile, state: deps.inspectPidfile(pidfile).state }]
  })
  const [tables, group] = await Promise.all([
    deps.tableMarks().catch(() => null),
    deps.groupBridges().catch(() => new Set<string>())
  ])
  const names = new Set<string>(group)
  for (const d of defs) if (d.bridge?.name) names.add(d.bridge.name)
  for (const rec of [...journals.values(), ...intents.values()])
    if (rec.ok && rec.record.bridge) names.add(rec.record.bridge)
  const links = new Map<string, LinkMark>()
  for (const n of names) {
    const mark = deps.linkMark(n)
    if (mark) links.set(n, mark)
  }
  return {
    store: deps.store,
    networks: defs.map((d) => ({ name: d.name, bridge: d.bridge?.name ?? null })),
    journals,
    intents,
    interfaces: deps.interfaces(),
    links,
    tables,
    pidfiles,
    ledger: readLedgerState(deps),
    networkDirs,
    nsId: deps.nsId
  }
}

function removeGeneratedFiles(network: string, deps: OpsDeps): void {
  const p = networkPaths(deps.paths.plan, network)
  for (const k of ARTIFACT_KEYS) removePathSync(artifactPath(p, k))
  removePathSync(p.pidfile)
  removeNetworkDir(network, deps)
}

/** Host keys a network of another store may hold: its records are not ours to read, its bridge is there. */
const FORWARDING_KEYS = ['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding']

/**
 * The ledger set aside and rebuilt from what runs, originals unknown: this store's running networks
 * with the keys their records list, and every live bridge of another guestnet store (in the group,
 * with its mark) as a holder of forwarding, so the repair cannot switch it off under them.
 */
function repairLedger(o: ReconcileObservation, deps: OpsDeps): void {
  const file = deps.paths.ledgerFile(deps.nsId)
  renameSync(file, `${file}.broken-${deps.now().getTime()}`)
  const running: Array<{ owner: LedgerOwner; keys: string[] }> = []
  for (const [network, rec] of o.journals) {
    if (rec.ok && rec.record.bridge !== null && rec.record.sysctls.length > 0) {
      running.push({ owner: { store: deps.store, network, bridge: rec.record.bridge }, keys: rec.record.sysctls })
    }
  }
  for (const [bridge, link] of o.links) {
    const store = storeOfMark(link.alias)
    if (!link.inGroup || link.alias === null || store === null || store === deps.store) continue
    const network = networkOfMark(link.alias) ?? ''
    running.push({ owner: { store, network, bridge, mark: link.alias }, keys: FORWARDING_KEYS })
  }
  const read = (key: string): string | null => {
    try {
      return readFileSync(sysctlFile('/proc/sys', key), 'utf8')
    } catch {
      return null
    }
  }
  const ledger = rebuildLedger(running, read)
  let here = deps.namespace.read()
  if (here.kind === 'untagged') here = { kind: 'tagged', tag: deps.namespace.tag() }
  if (Object.keys(ledger).length > 0) writeFileAtomicSync(file, formatLedger(ledger, ledgerTagOf(here)), 0o644)
}

async function act(a: ReconcileAction, o: ReconcileObservation, deps: OpsDeps): Promise<void> {
  const { paths } = deps
  switch (a.kind) {
    case 'keep':
    case 'leave':
      return
    case 'drop-intent':
      removePathSync(paths.intent(a.network))
      return
    case 'drop-journal': {
      const rec = o.journals.get(a.network)
      if (rec?.ok) await releaseAllSysctls(a.network, rec.record.bridge, deps)
      removePathSync(paths.journal(a.network))
      return
    }
    case 'quarantine-journal':
      renameSync(paths.journal(a.network), `${paths.plan.runtimeDir}/.${a.network}.json.broken-${deps.now().getTime()}`)
      return
    case 'teardown-journal':
    case 'rollback-intent': {
      const rec = (a.kind === 'teardown-journal' ? o.journals : o.intents).get(a.network)
      if (!rec?.ok) return
      const report = await teardown(rec.record, deps)
      if (report.remaining.length > 0)
        throw new Error(`still present after the undo: ${report.remaining.join(', ')} (${report.errors.join('; ')})`)
      removePathSync(a.kind === 'teardown-journal' ? paths.journal(a.network) : paths.intent(a.network))
      return
    }
    case 'kill-dnsmasq':
      await killPidfile(a.pidfile)
      return
    case 'remove-pidfile':
      removePathSync(a.pidfile)
      return
    case 'delete-table':
      await deps.runnerFor(a.network, { bridge: null }).run(undoTable(a.table))
      return
    case 'delete-bridge':
      await deps.runnerFor(a.network, { bridge: a.bridge }).run(undoBridge(a.bridge))
      return
    case 'release-sysctls': {
      const errors = await releaseAllSysctls(a.network, a.bridge, deps)
      if (errors.length > 0) throw new Error(errors.join('; '))
      return
    }
    case 'repair-ledger':
      repairLedger(o, deps)
      return
    case 'remove-network-dir':
      removeGeneratedFiles(a.network, deps)
      return
  }
}

function describe(a: ReconcileAction): string {
  switch (a.kind) {
    case 'delete-table':
      return `delete table ${tableKey(a.table)}: ${a.why}`
    case 'delete-bridge':
      return `delete bridge ${a.bridge}: ${a.why}`
    case 'kill-dnsmasq':
      return `stop dnsmasq (${a.pidfile}): ${a.why}`
    default:
      return `${a.kind}${a.network ? ` ${a.network}` : ''}: ${a.why}`
  }
}

const QUIET: ReadonlySet<ReconcileAction['kind']> = new Set(['keep', 'remove-network-dir'])

export async function reconcile(deps: OpsDeps, defs: readonly NetworkDef[], only?: string): Promise<ReconcileReport> {
  const o = await observe(deps, defs)
  const actions = decideReconcile(o, tableOwner, only)
  const report: ReconcileReport = { steps: [], active: [], repaired: [], failed: [], left: [] }
  for (const a of actions) {
    const what = describe(a)
    try {
      await act(a, o, deps)
      report.steps.push({ kind: a.kind, network: a.network, what, ok: true })
      if (a.kind === 'keep') report.active.push(a.network)
      else if (a.kind === 'leave') report.left.push(what)
      else if (!QUIET.has(a.kind)) report.repaired.push(what)
    } catch (e) {
      const error = (e as Error).message
      report.steps.push({ kind: a.kind, network: a.network, what, ok: false, error })
      report.failed.push(`${what}: FAILED: ${error}`)
    }
  }
  return report
}
