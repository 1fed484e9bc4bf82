/**
 * Reconcile, the pure half: from what the records say (journals, start intents, the namespace's
 * sysctl ledger) and what is really there (interfaces and their owner marks, nft tables and their
 * comments, dnsmasq pid files), decide what to repair. Only this store's own objects are ever acted
 * on: a bridge in guestnet's interface group whose alias is this store's mark for a network, an nft
 * table whose comment is, a dnsmasq that is the one of our pid file. Another store's objects, or
 * objects without guestnet's mark (libvirt's virbr0), are reported by owner and left alone.
 */
import type { NftTableRef } from '../../core/model/plan'
import type { NetworkRecord } from '../../core/plan/network-record'
import { describeOwner, networkOfMark, ownerMark, storeOfMark } from '../../core/store/store-id'
import type { RecordState } from '../state/journal'
import type { LinkMark, TableMark } from '../state/live-state'
import { isGuestnetTable, tableKey } from '../state/live-state'
import type { LedgerOwner } from '../state/sysctl-ledger'

export interface ReconcileObservation {
  /** This request's store (core/store/store-id.ts). */
  store: string
  /** Defined (valid) networks and their bridge names. */
  networks: ReadonlyArray<{ name: string; bridge: string | null }>
  journals: ReadonlyMap<string, RecordState>
  intents: ReadonlyMap<string, RecordState>
  interfaces: ReadonlySet<string>
  /** The group and owner mark of interfaces that matter: guestnet's group, records' and networks' bridges. */
  links: ReadonlyMap<string, LinkMark>
  /** Every nft table in the namespace with its comment; null when they could not be listed. */
  tables: readonly TableMark[] | null
  /** Pid files found as `<runtimeDir>/NAME/dnsmasq.pid`, with what runs behind them. */
  pidfiles: ReadonlyArray<{ network: string; pidfile: string; state: 'none' | 'dead' | 'ours' | 'foreign' }>
  /** The namespace's ledger: its owners, or why it does not read. */
  ledger: { ok: true; owners: readonly LedgerOwner[] } | { ok: false; reason: string }
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
  | { kind: 'delete-table'; network: string; table: NftTableRef; why: string }
  | { kind: 'delete-bridge'; network: string; bridge: string; why: string }
  | { kind: 'release-sysctls'; network: string; bridge: string; why: string }
  | { kind: 'repair-ledger'; network: null; why: string }
  | { kind: 'remove-network-dir'; network: string; why: string }
  | { kind: 'leave'; network: string | null; why: string }

export interface PieceCheck {
  present: string[]
  missing: string[]
}

/** Is this link the bridge guestnet made for `network` of `store`? */
function isOurBridge(link: LinkMark | undefined, store: string, network: string): boolean {
  return link !== undefined && link.inGroup && link.alias === ownerMark(store, network)
}

/** Which of a record's pieces are present (and this network's). */
export function checkPieces(r: NetworkRecord, o: ReconcileObservation): PieceCheck {
  const present: string[] = []
  const missing: string[] = []
  if (r.bridge !== null) {
    ;(isOurBridge(o.links.get(r.bridge), o.store, r.network) ? present : missing).push(`bridge ${r.bridge}`)
  }
  // A spanning network's VXLAN port bears the same marks as its bridge (core/plan/span-plan.ts).
  if (r.bridge !== null && r.vxlan) {
    ;(isOurBridge(o.links.get(r.vxlan), o.store, r.network) ? present : missing).push(`VXLAN port ${r.vxlan}`)
  }
  if (o.tables !== null) {
    const mark = ownerMark(o.store, r.network)
    for (const t of r.tables) {
      const there = o.tables.some((m) => tableKey(m) === tableKey(t) && m.comment === mark)
      ;(there ? present : missing).push(`table ${tableKey(t)}`)
    }
  }
  if (r.dnsmasq !== null) {
    const p = o.pidfiles.find((x) => x.network === r.network)
    ;(p?.state === 'ours' ? present : missing).push('dnsmasq')
  }
  return { present, missing }
}

/** The network an nft table of this store belongs to, from its name (core/plan/nft-names.ts). */
export type TableOwner = (table: NftTableRef) => string | null

export function decideReconcile(o: ReconcileObservation, tableOwner: TableOwner, only?: string): ReconcileAction[] {
  const actions: ReconcileAction[] = []
  /** Networks whose pieces a record accounts for (kept, or torn down from the record). */
  const covered = new Set<string>()
  const running = new Set<string>()
  /** Networks whose record is replayed (their sysctls are released as part of it). */
  const replayed = new Set<string>()

  for (const [network, rec] of o.journals) {
    if (!rec.ok) {
      actions.push({
        kind: 'quarantine-journal',
        network,
        why: `journal not usable (${rec.reason}): set aside; this store's pieces are cleaned up as leftovers`
      })
      continue
    }
    const j = rec.record
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
    covered.add(network)
    const { present, missing } = checkPieces(j, o)
    if (missing.length === 0) {
      running.add(network)
      actions.push({ kind: 'keep', network, why: 'active: bridge, tables and dnsmasq all present' })
      if (o.intents.has(network))
        actions.push({ kind: 'drop-intent', network, why: 'a start intent left next to a complete journal' })
    } else if (present.length === 0) {
      replayed.add(network)
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
        why: `start intent not usable (${rec.reason}); this store's pieces are cleaned up as leftovers`
      })
      continue
    }
    covered.add(network)
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
    if (!isGuestnetTable(t)) continue
    const network = tableOwner(t)
    if (network === null || covered.has(network)) continue
    if (t.comment === ownerMark(o.store, network)) {
      actions.push({
        kind: 'delete-table',
        network,
        table: { family: t.family, name: t.name },
        why: `nft table ${tableKey(t)} with no journal`
      })
    } else {
      actions.push({
        kind: 'leave',
        network,
        why: `nft table ${tableKey(t)} is not this store's (${describeOwner(t.comment, o.store)}): left alone`
      })
    }
  }

  // Bridges: one in guestnet's group with this store's mark and no record is a leftover of the
  // network the mark names; any other bridge a network of ours names is said to be someone else's.
  const byName = new Map(o.networks.map((n) => [n.bridge, n.name]))
  for (const [ifname, link] of o.links) {
    if (!o.interfaces.has(ifname)) continue
    if (link.inGroup && storeOfMark(link.alias) === o.store) {
      const network = networkOfMark(link.alias)
      if (network !== null && covered.has(network)) continue
      if (network === null || link.alias !== ownerMark(o.store, network)) {
        actions.push({
          kind: 'leave',
          network: null,
          why: `bridge ${ifname} bears a mark of this store that names no network (${link.alias}): left alone`
        })
      } else {
        actions.push({
          kind: 'delete-bridge',
          network,
          bridge: ifname,
          why: `bridge ${ifname} of network ${network} with no journal`
        })
      }
      continue
    }
    const network = byName.get(ifname)
    if (network === undefined || covered.has(network)) continue
    actions.push({
      kind: 'leave',
      network,
      why: link.inGroup
        ? `bridge ${ifname} belongs to ${describeOwner(link.alias, o.store)}: left alone`
        : `bridge ${ifname} exists but guestnet did not create it (not in guestnet's interface group): left alone`
    })
  }

  if (!o.ledger.ok) {
    actions.push({
      kind: 'repair-ledger',
      network: null,
      why: `the sysctl ledger does not read (${o.ledger.reason}): set aside and rebuilt`
    })
  } else {
    const seen = new Set<string>()
    for (const owner of o.ledger.owners) {
      if (owner.store !== o.store || seen.has(owner.network)) continue
      seen.add(owner.network)
      if (!running.has(owner.network) && !replayed.has(owner.network)) {
        actions.push({
          kind: 'release-sysctls',
          network: owner.network,
          bridge: owner.bridge,
          why: 'sysctls still recorded for a network that is not running'
        })
      }
    }
  }

  for (const d of o.networkDirs) {
    if (!running.has(d))
      actions.push({ kind: 'remove-network-dir', network: d, why: 'generated files of a network that is not running' })
  }

  return only === undefined ? actions : actions.filter((a) => a.network === only || a.kind === 'repair-ledger')
}
