/**
 * Reconcile, the pure half: from what the records say (journals, start intents, the sysctl
 * ledger, the defined networks) and what is really there (interfaces, nft tables, dnsmasq pid
 * files), decide what to repair. Only guestnet's own objects are ever acted on:
 *   - a journal or intent names it (we made it);
 *   - an nft table called `guestnet_*`;
 *   - a dnsmasq whose pid file is in our runtime directory and whose command line names it;
 *   - a bridge that one of our networks names AND that sits in guestnet's interface group
 *     (every bridge guestnet creates joins it). A same-named bridge outside the group is someone
 *     else's (libvirt's virbr0, say): reported and left alone.
 */
import type { Journal, NftTableRef } from '../state/journal'
import { isGuestnetTable, tableKey } from '../state/live-state'

import type { RecordState } from '../state/journal-file'

export type { RecordState } from '../state/journal-file'

export interface ReconcileObservation {
  /** Defined (valid) networks and their bridge names. */
  networks: ReadonlyArray<{ name: string; bridge: string | null }>
  journals: ReadonlyMap<string, RecordState>
  intents: ReadonlyMap<string, RecordState>
  interfaces: ReadonlySet<string>
  /** Interfaces in guestnet's interface group. */
  groupBridges: ReadonlySet<string>
  /** Every nft table in the namespace; null when they could not be listed. */
  tables: readonly NftTableRef[] | null
  /** Pid files found as `<runtimeDir>/NAME/dnsmasq.pid`, with what runs behind them. */
  pidfiles: ReadonlyArray<{ network: string; pidfile: string; state: 'none' | 'dead' | 'ours' | 'foreign' }>
  /** Networks the sysctl ledger lists as owners. */
  ledgerOwners: readonly string[]
  /** Networks with a runtime directory (`<runtimeDir>/NAME/`). */
  networkDirs: readonly string[]
  nsId: string | null
}

export type ReconcileAction =
  | { kind: 'keep'; network: string; why: string }
  | { kind: 'drop-intent'; network: string; why: string }
  | { kind: 'teardown-journal'; network: string; why: string }
  | { kind: 'drop-journal'; network: string; why: string }
  | { kind: 'quarantine-journal'; network: string; why: string }
  | { kind: 'rollback-intent'; network: string; why: string }
  | { kind: 'kill-dnsmasq'; network: string; pidfile: string; why: string }
  | { kind: 'remove-pidfile'; network: string; pidfile: string; why: string }
  | { kind: 'delete-table'; network: string | null; table: NftTableRef; why: string }
  | { kind: 'delete-bridge'; network: string; bridge: string; why: string }
  | { kind: 'release-sysctls'; network: string; why: string }
  | { kind: 'remove-network-dir'; network: string; why: string }
  | { kind: 'leave'; network: string | null; why: string }

export interface PieceCheck {
  present: string[]
  missing: string[]
}

/** Which of a journal's pieces are present. */
export function checkPieces(j: Journal, o: ReconcileObservation): PieceCheck {
  const present: string[] = []
  const missing: string[] = []
  ;(o.interfaces.has(j.bridge) ? present : missing).push(`bridge ${j.bridge}`)
  if (o.tables !== null) {
    const have = new Set(o.tables.map(tableKey))
    for (const t of j.tables) (have.has(tableKey(t)) ? present : missing).push(`table ${tableKey(t)}`)
  }
  if (j.pidfile !== null) {
    const p = o.pidfiles.find((x) => x.pidfile === j.pidfile)
    ;(p?.state === 'ours' ? present : missing).push('dnsmasq')
  }
  return { present, missing }
}

/** The network an nft table belongs to, by guestnet's table naming (core/plan/nft-names.ts). */
export type TableOwner = (table: NftTableRef) => string | null

export function decideReconcile(o: ReconcileObservation, tableOwner: TableOwner, only?: string): ReconcileAction[] {
  const actions: ReconcileAction[] = []
  /** Networks whose pieces a journal or intent accounts for (kept, or torn down from the record). */
  const covered = new Set<string>()
  const running = new Set<string>()
  const coveredTables = new Set<string>()
  const coveredBridges = new Set<string>()
  /** Networks whose record is replayed (their sysctls are released as part of it). */
  const replayed = new Set<string>()
  const cover = (j: Journal): void => {
    covered.add(j.network)
    coveredBridges.add(j.bridge)
    for (const t of j.tables) coveredTables.add(tableKey(t))
  }

  for (const [network, rec] of o.journals) {
    if (!rec.ok) {
      actions.push({
        kind: 'quarantine-journal',
        network,
        why: `journal unreadable (${rec.reason}): set aside; its pieces are cleaned up as leftovers`
      })
      continue
    }
    const j = rec.journal
    if (j.nsId !== null && o.nsId !== null && j.nsId !== o.nsId) {
      covered.add(network)
      running.add(network)
      actions.push({
        kind: 'leave',
        network,
        why: `journal written in another network namespace (${j.nsId}): left alone`
      })
      continue
    }
    cover(j)
    const { present, missing } = checkPieces(j, o)
    if (missing.length === 0) {
      running.add(network)
      actions.push({ kind: 'keep', network, why: 'active: bridge, tables and dnsmasq all present' })
      if (o.intents.has(network))
        actions.push({ kind: 'drop-intent', network, why: 'a start intent left next to a complete journal' })
    } else if (present.length === 0) {
      actions.push({
        kind: 'drop-journal',
        network,
        why: `journal of a network whose pieces are all gone (${missing.join(', ')})`
      })
    } else {
      replayed.add(network)
      actions.push({
        kind: 'teardown-journal',
        network,
        why: `broken: ${missing.join(', ')} gone while ${present.join(', ')} remain; tearing the rest down`
      })
    }
  }

  for (const [network, rec] of o.intents) {
    if (o.journals.has(network)) {
      if (!rec.ok || !covered.has(network)) actions.push({ kind: 'drop-intent', network, why: 'stale start intent' })
      continue
    }
    if (!rec.ok) {
      actions.push({
        kind: 'drop-intent',
        network,
        why: `start intent unreadable (${rec.reason}); its pieces are cleaned up as leftovers`
      })
      continue
    }
    cover(rec.journal)
    replayed.add(network)
    actions.push({
      kind: 'rollback-intent',
      network,
      why: 'a start was interrupted (crash or kill): rolling back everything it may have done'
    })
  }

  for (const p of o.pidfiles) {
    if (covered.has(p.network)) continue
    if (p.state === 'ours')
      actions.push({
        kind: 'kill-dnsmasq',
        network: p.network,
        pidfile: p.pidfile,
        why: 'dnsmasq running from our pid file with no journal'
      })
    else if (p.state === 'dead')
      actions.push({
        kind: 'remove-pidfile',
        network: p.network,
        pidfile: p.pidfile,
        why: 'stale pid file (process gone)'
      })
    else if (p.state === 'foreign')
      actions.push({
        kind: 'remove-pidfile',
        network: p.network,
        pidfile: p.pidfile,
        why: 'pid file names a process that is not our dnsmasq (pid reused): file removed, process left alone'
      })
  }

  for (const t of o.tables ?? []) {
    if (!isGuestnetTable(t) || coveredTables.has(tableKey(t))) continue
    const network = tableOwner(t)
    if (network !== null && covered.has(network)) continue
    actions.push({ kind: 'delete-table', network, table: t, why: `nft table ${tableKey(t)} with no journal` })
  }

  for (const n of o.networks) {
    if (n.bridge === null || covered.has(n.name) || coveredBridges.has(n.bridge) || !o.interfaces.has(n.bridge))
      continue
    if (o.groupBridges.has(n.bridge)) {
      actions.push({
        kind: 'delete-bridge',
        network: n.name,
        bridge: n.bridge,
        why: `bridge ${n.bridge} of network ${n.name} (guestnet's interface group) with no journal`
      })
    } else {
      actions.push({
        kind: 'leave',
        network: n.name,
        why: `bridge ${n.bridge} exists but guestnet did not create it (not in guestnet's interface group): left alone`
      })
    }
  }

  for (const owner of new Set(o.ledgerOwners)) {
    if (!running.has(owner) && !replayed.has(owner))
      actions.push({
        kind: 'release-sysctls',
        network: owner,
        why: 'sysctls still recorded for a network that is not running'
      })
  }

  for (const d of o.networkDirs) {
    if (!running.has(d))
      actions.push({ kind: 'remove-network-dir', network: d, why: 'generated files of a network that is not running' })
  }

  return only === undefined ? actions : actions.filter((a) => a.network === only)
}
