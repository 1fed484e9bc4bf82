/**
 * status: per network, what the records say and what is really there. `active` (journal and every
 * piece present), `inactive` (no journal), `broken` (a journal with pieces missing, an interrupted
 * start, or a definition file that does not read). Read-only; works without root with less detail.
 */
import { readLedgerFile } from '../state/ledger-file'
import { runningGuestMtu } from '../../core/plan/follow-uplink-steps'
import { lanStatus } from '../../core/plan/lan-status'
import { peersSeen } from '../../core/host/vxlan-fdb'
import { networkPaths } from '../../core/plan/network-paths'
import { readTextOrNull } from '../../store/safe-fs'
import type { HelperValue } from '../../contract/helper-protocol'

import { compareNames } from '../../core/store/autostart-order'
import type { NetworkRecord } from '../../core/plan/network-record'
import { tableKey } from '../state/live-state'
import { readRecord } from '../state/journal'
import { observePieces, piecesMissing } from '../ops/teardown'
import { runtimeEntries } from '../state/runtime-entries'
import type { VerbContext } from './context'
import { notFound } from './context'

export type NetworkStatus = HelperValue<'status'>['networks'][number]

/** A generated file's text, or null when it is missing or this caller may not read it (status runs as anyone). */
function readableText(path: string): string | null {
  try {
    return readTextOrNull(path)
  } catch {
    return null
  }
}

function runtimeNames(dir: string): { journals: string[]; intents: string[] } {
  const found = runtimeEntries(dir)
  return { journals: [...found.journals.keys()], intents: [...found.intents.keys()] }
}

/** What is wrong with the namespace's sysctl ledger (it is never read as empty when it does not read). */
export function ledgerProblems(deps: VerbContext<'status'>['deps']): string[] {
  const read = readLedgerFile(deps.paths.ledgerFile(deps.nsId), deps.namespace.read())
  return read.ok ? [] : [read.reason]
}

export async function run(ctx: VerbContext<'status'>): Promise<HelperValue<'status'>> {
  const { deps } = ctx
  const entries = await (await ctx.store()).list()
  const rt = runtimeNames(deps.paths.plan.runtimeDir)
  const names = new Set([...entries.map((e) => e.name), ...rt.journals, ...rt.intents])
  if (ctx.args.name !== undefined) {
    if (!names.has(ctx.args.name)) throw notFound(ctx.args.name)
    for (const n of [...names]) if (n !== ctx.args.name) names.delete(n)
  }
  const journals = new Map<string, NetworkRecord | string>()
  for (const n of names) {
    const rec = rt.journals.includes(n) ? readRecord(deps.paths.journal(n), { network: n, store: deps.store }) : null
    if (rec) journals.set(n, rec.ok ? rec.record : rec.reason)
  }
  // One nft call for every running network; null when nft cannot be asked (not root).
  let tablesNow: Set<string> | null = null
  if ([...journals.values()].some((j) => typeof j !== 'string' && j.tables.length > 0)) {
    tablesNow = await deps.tables().then(
      (t) => new Set(t.map(tableKey)),
      () => null
    )
  }
  const interfaces = deps.interfaces()
  const out: NetworkStatus[] = []
  for (const name of [...names].sort(compareNames)) {
    const entry = entries.find((e) => e.name === name)
    const def = entry?.state === 'ok' ? entry.def : null
    const j = journals.get(name)
    const s: NetworkStatus = {
      name,
      state: 'inactive',
      problems: [],
      defined: entry !== undefined,
      autostart: entry?.autostart ?? false,
      uuid: def?.uuid ?? (typeof j === 'object' ? j.uuid : null),
      bridge: typeof j === 'object' ? (j.bridge ?? j.hostBridge) : (def?.bridge?.name ?? null),
      bridgePresent: false,
      dnsmasqPid: null,
      dnsmasqAlive: null,
      tables: [],
      startedAt: null,
      netns: null
    }
    s.bridgePresent = s.bridge !== null && interfaces.has(s.bridge)
    if (entry?.state === 'broken') s.problems.push(`definition file broken: ${entry.reason}`)
    if (typeof j === 'string') {
      s.state = 'broken'
      s.problems.push(`journal not usable (${j}): run guestnet reconcile`)
    } else if (j) {
      const pieces = await observePieces(j, deps, tablesNow ?? undefined)
      s.tables = Object.entries(pieces.tables).map(([table, present]) => ({
        table,
        present: tablesNow === null ? null : present
      }))
      s.dnsmasqPid = pieces.dnsmasq?.pid ?? null
      s.dnsmasqAlive = pieces.dnsmasq?.alive ?? null
      s.startedAt = j.startedAt
      s.netns = j.netns
      const missing = piecesMissing(pieces, j).filter((m) => tablesNow !== null || !m.startsWith('table '))
      s.state = missing.length === 0 ? 'active' : 'broken'
      const conf = j.dnsmasq === null ? null : readableText(networkPaths(deps.paths.plan, name).dnsmasqConf)
      if (conf !== null) s.mtu = runningGuestMtu(conf, def)
      if (j.lan !== undefined) s.uplink = lanStatus(j.lan)
      const span = def?.guestnet?.span
      if (span && j.vxlan && deps.fdb) {
        const fdb = await deps.fdb(j.vxlan).catch(() => '[]')
        const peers = peersSeen(
          fdb,
          span.peers.map((p) => p.address)
        )
        s.span = { vni: span.vni, underlay: span.underlay, peers }
      }
      if (missing.length > 0)
        s.problems.push(`missing: ${missing.join(', ')}: run guestnet reconcile (or net-start again)`)
    } else if (rt.intents.includes(name)) {
      s.state = 'broken'
      s.problems.push('a start was interrupted: run guestnet reconcile (or net-start again)')
    }
    if (!s.defined && s.state !== 'inactive') s.problems.push('running, but no longer defined')
    out.push(s)
  }
  return { networks: out, storeProblems: ledgerProblems(deps) }
}
