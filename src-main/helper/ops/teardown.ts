/**
 * Undoing a network from its journal (stop) or start intent (reconcile after a crash): replay the
 * recorded undo, carrying on past failures; release whatever sysctls the network still holds;
 * then check what is really left, so "already gone" is not a failure and a real leftover is.
 */
import { rmdirSync } from 'node:fs'

import { replayUndo } from '../apply-plan'
import { removePathSync } from '../../store/safe-fs'
import type { Journal } from '../state/journal'
import { tableKey } from '../state/live-state'
import { readTextNoFollow } from '../../store/safe-fs'
import { parseLedger } from '../state/sysctl-ledger'
import type { OpsDeps } from './deps'

export interface Pieces {
  bridge: boolean
  /** `family name` of each journal table → present. */
  tables: Record<string, boolean>
  /** null when the network runs no dnsmasq. */
  dnsmasq: { pid: number | null; alive: boolean } | null
}

export async function observePieces(j: Journal, deps: OpsDeps, tablesNow?: Set<string>): Promise<Pieces> {
  const present = tablesNow ?? new Set((j.tables.length > 0 ? await deps.tables() : []).map(tableKey))
  const tables: Record<string, boolean> = {}
  for (const t of j.tables) tables[tableKey(t)] = present.has(tableKey(t))
  let dnsmasq: Pieces['dnsmasq'] = null
  if (j.pidfile !== null) {
    const p = deps.inspectPidfile(j.pidfile)
    dnsmasq = { pid: p.state === 'none' ? j.dnsmasqPid : p.pid, alive: p.state === 'ours' }
  }
  return { bridge: deps.interfaces().has(j.bridge), tables, dnsmasq }
}

/** Names of the pieces still there (`bridge virbr0`, `table inet guestnet_x`, `dnsmasq pid 42`). */
export function piecesPresent(p: Pieces, j: Journal): string[] {
  const out: string[] = []
  if (p.bridge) out.push(`bridge ${j.bridge}`)
  for (const [t, there] of Object.entries(p.tables)) if (there) out.push(`table ${t}`)
  if (p.dnsmasq?.alive) out.push(`dnsmasq pid ${p.dnsmasq.pid}`)
  return out
}

export function piecesMissing(p: Pieces, j: Journal): string[] {
  const out: string[] = []
  if (!p.bridge) out.push(`bridge ${j.bridge}`)
  for (const [t, there] of Object.entries(p.tables)) if (!there) out.push(`table ${t}`)
  if (p.dnsmasq && !p.dnsmasq.alive) out.push('dnsmasq')
  return out
}

/** Releases every sysctl the ledger still lists for `network` (restoring it if it was the last owner). */
export async function releaseAllSysctls(network: string, deps: OpsDeps): Promise<string[]> {
  const ledger = parseLedger(readTextNoFollow(deps.paths.ledgerFile) ?? '{}')
  const keys = Object.entries(ledger)
    .filter(([, e]) => e.owners.includes(network))
    .map(([k]) => k)
  const runner = deps.runnerFor(network)
  const errors: string[] = []
  for (const key of keys) {
    try {
      await runner.run(['@sysctl-restore', key])
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
  j: Journal,
  deps: OpsDeps,
  opts: { concurrent?: boolean } = {}
): Promise<TeardownReport> {
  const errors = await replayUndo(j.undo, deps.runnerFor(j.network), j.network, (e) => deps.emit(e), opts)
  errors.push(...(await releaseAllSysctls(j.network, deps)))
  // Every undo command succeeded: every piece is gone, no need to look.
  const remaining = errors.length === 0 ? [] : piecesPresent(await observePieces(j, deps), j)
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

export function removeRecord(path: string): void {
  removePathSync(path)
}
