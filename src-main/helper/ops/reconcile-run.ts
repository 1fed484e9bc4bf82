/** Reconcile, the acting half: observe, decide (reconcile-decide.ts), repair, report. */
import { readdirSync, renameSync } from 'node:fs'

import type { NetworkDef } from '../../core/model/network'
import { networkPaths } from '../../core/plan/network-paths'
import { decodeNftName, NFT_TABLE_PREFIX } from '../../core/plan/nft-names'
import { checkNetworkName } from '../policy'
import { killPidfile } from '../run/dnsmasq-process'
import { readTextNoFollow, removePathSync } from '../../store/safe-fs'
import type { NftTableRef } from '../state/journal'
import type { RecordState } from '../state/journal-file'
import { readRecord } from '../state/journal-file'
import { tableKey } from '../state/live-state'
import { parseLedger } from '../state/sysctl-ledger'
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
  /** Things found and deliberately left alone (not guestnet's, or another namespace's). */
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

function listRuntime(dir: string): { files: string[]; dirs: string[] } {
  try {
    const entries = readdirSync(dir, { withFileTypes: true })
    return {
      files: entries.filter((e) => e.isFile()).map((e) => e.name),
      dirs: entries.filter((e) => e.isDirectory()).map((e) => e.name)
    }
  } catch {
    return { files: [], dirs: [] }
  }
}

export async function observe(deps: OpsDeps, defs: readonly NetworkDef[]): Promise<ReconcileObservation> {
  const { paths } = deps
  const runtimeDir = paths.plan.runtimeDir
  const { files, dirs } = listRuntime(runtimeDir)
  const journals = new Map<string, RecordState>()
  const intents = new Map<string, RecordState>()
  for (const f of files) {
    const intent = /^\.(.+)\.starting\.json$/.exec(f)
    const name = intent ? intent[1] : f.endsWith('.json') && !f.startsWith('.') ? f.slice(0, -5) : null
    if (name === null || checkNetworkName(name)) continue
    const rec = readRecord(`${runtimeDir}/${f}`)
    if (rec) (intent ? intents : journals).set(name, rec)
  }
  const networkDirs = dirs.filter((d) => !checkNetworkName(d))
  const pidfiles = networkDirs.flatMap((network) => {
    const pidfile = networkPaths(paths.plan, network).pidfile
    if (readTextNoFollow(pidfile) === null) return []
    return [{ network, pidfile, state: deps.inspectPidfile(pidfile).state }]
  })
  const [tables, groupBridges] = await Promise.all([
    deps.tables().catch(() => null),
    deps.groupBridges().catch(() => new Set<string>())
  ])
  const ledger = parseLedger(readTextNoFollow(paths.ledgerFile) ?? '{}')
  return {
    networks: defs.map((d) => ({ name: d.name, bridge: d.bridge?.name ?? null })),
    journals,
    intents,
    interfaces: deps.interfaces(),
    groupBridges,
    tables,
    pidfiles,
    ledgerOwners: Object.values(ledger).flatMap((e) => e.owners),
    networkDirs,
    nsId: deps.nsId
  }
}

function removeGeneratedFiles(network: string, deps: OpsDeps): void {
  const p = networkPaths(deps.paths.plan, network)
  for (const f of [p.dnsmasqConf, p.hostsfile, p.addnhosts, p.ruleset, p.pidfile, p.ipBatch, p.ip6Batch])
    removePathSync(f)
  removeNetworkDir(network, deps)
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
    case 'drop-journal':
      removePathSync(paths.journal(a.network))
      return
    case 'quarantine-journal':
      renameSync(paths.journal(a.network), `${paths.plan.runtimeDir}/.${a.network}.json.broken-${deps.now().getTime()}`)
      return
    case 'teardown-journal':
    case 'rollback-intent': {
      const rec = (a.kind === 'teardown-journal' ? o.journals : o.intents).get(a.network)
      if (!rec?.ok) return
      const report = await teardown(rec.journal, deps)
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
      await deps.runnerFor(a.network ?? 'reconcile').run(['nft', 'delete', 'table', a.table.family, a.table.name])
      return
    case 'delete-bridge':
      await deps.runnerFor(a.network).run(['ip', 'link', 'del', a.bridge])
      return
    case 'release-sysctls': {
      const errors = await releaseAllSysctls(a.network, deps)
      if (errors.length > 0) throw new Error(errors.join('; '))
      return
    }
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
