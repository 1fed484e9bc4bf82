/**
 * Undoing a network from its record (stop; reconcile after a crash): the undo derived from the
 * record's facts through the core (core/plan/network-record.ts), every piece checked to be this
 * network's before it goes; carrying on past failures; releasing whatever sysctls the network still
 * holds in the namespace's ledger; then checking what is really left, so "already gone" is not a
 * failure and a real leftover is.
 */
import { rmdirSync } from 'node:fs'

import { networkPaths } from '../../core/plan/network-paths'
import type { NetworkRecord } from '../../core/plan/network-record'
import { undoOfRecord } from '../../core/plan/network-record'
import { undoSysctl } from '../../core/plan/build-plan'
import { replayUndo } from '../apply-plan'
import { tableKey } from '../state/live-state'
import { readLedgerFile } from '../state/ledger-file'
import { keysOf } from '../state/sysctl-ledger'
import type { OpsDeps } from './deps'

export interface Pieces {
  /** The bridge is there and bears this network's mark. */
  bridge: boolean
  /** A spanning network's VXLAN port is there (false when the record has none). */
  vxlan: boolean
  /** `family name` of each record table → present. */
  tables: Record<string, boolean>
  /** null when the network runs no dnsmasq. */
  dnsmasq: { pid: number | null; alive: boolean } | null
}

export async function observePieces(r: NetworkRecord, deps: OpsDeps, tablesNow?: Set<string>): Promise<Pieces> {
  const present = tablesNow ?? new Set((r.tables.length > 0 ? await deps.tables() : []).map(tableKey))
  const tables: Record<string, boolean> = {}
  for (const t of r.tables) tables[tableKey(t)] = present.has(tableKey(t))
  let dnsmasq: Pieces['dnsmasq'] = null
  if (r.dnsmasq !== null) {
    const p = deps.inspectPidfile(networkPaths(deps.paths.plan, r.network).pidfile, r.dnsmasq.startTime)
    dnsmasq = { pid: p.state === 'none' ? r.dnsmasq.pid : p.pid, alive: p.state === 'ours' }
  }
  const interfaces = deps.interfaces()
  const vxlan = typeof r.vxlan === 'string' && interfaces.has(r.vxlan)
  return { bridge: r.bridge !== null && interfaces.has(r.bridge), vxlan, tables, dnsmasq }
}

/** Names of the pieces still there (`bridge virbr0`, `table inet guestnet_x`, `dnsmasq pid 42`). */
export function piecesPresent(p: Pieces, r: NetworkRecord): string[] {
  const out: string[] = []
  if (p.bridge) out.push(`bridge ${r.bridge}`)
  if (p.vxlan) out.push(`VXLAN port ${r.vxlan}`)
  for (const [t, there] of Object.entries(p.tables)) if (there) out.push(`table ${t}`)
  if (p.dnsmasq?.alive) out.push(`dnsmasq pid ${p.dnsmasq.pid}`)
  return out
}

export function piecesMissing(p: Pieces, r: NetworkRecord): string[] {
  const out: string[] = []
  if (r.bridge !== null && !p.bridge) out.push(`bridge ${r.bridge}`)
  if (typeof r.vxlan === 'string' && !p.vxlan) out.push(`VXLAN port ${r.vxlan}`)
  for (const [t, there] of Object.entries(p.tables)) if (!there) out.push(`table ${t}`)
  if (p.dnsmasq && !p.dnsmasq.alive) out.push('dnsmasq')
  return out
}

/** Releases every sysctl the namespace's ledger still lists for `network` of this store. */
export async function releaseAllSysctls(network: string, bridge: string | null, deps: OpsDeps): Promise<string[]> {
  const parsed = readLedgerFile(deps.paths.ledgerFile(deps.nsId), deps.namespace.read())
  if (!parsed.ok) return [parsed.reason]
  const runner = deps.runnerFor(network, { bridge })
  const errors: string[] = []
  for (const key of keysOf(parsed.ledger, { store: deps.store, network })) {
    try {
      await runner.run(undoSysctl(key))
    } catch (e) {
      errors.push(`sysctl ${key}: ${(e as Error).message}`)
    }
  }
  return errors
}

export interface TeardownReport {
  /** Undo commands that failed (the piece may have been gone already). */
  errors: string[]
  /** Pieces still present afterwards: non-empty means the teardown did not finish. */
  remaining: string[]
}

export async function teardown(
  r: NetworkRecord,
  deps: OpsDeps,
  opts: { concurrent?: boolean } = {}
): Promise<TeardownReport> {
  const undo = undoOfRecord(r, deps.paths.plan)
  const runner = deps.runnerFor(r.network, { bridge: r.bridge })
  const errors = await replayUndo(undo, runner, r.network, (e) => deps.emit(e), opts)
  errors.push(...(await releaseAllSysctls(r.network, r.bridge, deps)))
  // Every undo command succeeded: every piece is gone, no need to look.
  const remaining = errors.length === 0 ? [] : piecesPresent(await observePieces(r, deps), r)
  return { errors, remaining }
}

/** The network's runtime directory, if nothing is left in it. */
export function removeNetworkDir(network: string, deps: OpsDeps): void {
  try {
    rmdirSync(deps.paths.networkDir(network))
  } catch {
    // not empty or not there: leave it
  }
}
