/**
 * The journal of a running network (`<runtimeDir>/NAME.json`, written only after a start fully
 * succeeded) and the start intent (`<runtimeDir>/.NAME.starting.json`, written before the first
 * step): both say what guestnet made and how to undo it. Stop replays the journal; reconcile
 * replays an intent a crash left behind.
 */
import type { Argv, Plan } from '../../core/model/plan'
import type { UndoStep } from '../apply-plan'

export interface NftTableRef {
  family: string
  name: string
}

export interface Journal {
  version: 1
  kind: 'journal' | 'intent'
  network: string
  uuid: string | null
  bridge: string
  /** The nft tables the plan loads (each `guestnet_*`). */
  tables: NftTableRef[]
  /** dnsmasq's pid file, when the network runs one. */
  pidfile: string | null
  dnsmasqPid: number | null
  /** The sysctls the plan sets (key → value); the originals are in the sysctl ledger. */
  sysctls: Record<string, string>
  /** `--netns` name, and the namespace's identity (`net:[4026531840]`) it was started in. */
  netns: string | null
  nsId: string | null
  startedAt: string
  /** Replayed in order by stop (the rollbacks, last step first). */
  undo: UndoStep[]
}

const NFT_FAMILIES = 'ip|ip6|inet|bridge|arp|netdev'
const TABLE_LINE = new RegExp(`^\\s*(?:add\\s+)?table\\s+(${NFT_FAMILIES})\\s+([A-Za-z_][A-Za-z0-9_]*)`, 'gm')

/** Pure: the tables a ruleset creates, as `table FAMILY NAME` lines declare them. */
export function tablesOfRuleset(ruleset: string): NftTableRef[] {
  const seen = new Map<string, NftTableRef>()
  for (const m of ruleset.matchAll(TABLE_LINE)) seen.set(`${m[1]} ${m[2]}`, { family: m[1], name: m[2] })
  return [...seen.values()]
}

/** The pid file a plan's dnsmasq uses: the argument of its `@kill-pidfile` rollback. */
export function pidfileOfPlan(plan: Plan): string | null {
  for (const step of plan.steps)
    for (const argv of step.rollback) if (argv[0] === '@kill-pidfile' && argv[1]) return argv[1]
  return null
}

export interface JournalContext {
  uuid: string | null
  netns: string | null
  nsId: string | null
  now: Date
}

export function journalFromPlan(
  kind: Journal['kind'],
  plan: Plan,
  undo: UndoStep[],
  ctx: JournalContext,
  dnsmasqPid: number | null = null
): Journal {
  return {
    version: 1,
    kind,
    network: plan.network,
    uuid: ctx.uuid,
    bridge: plan.bridge,
    tables: tablesOfRuleset(plan.nftRuleset),
    pidfile: pidfileOfPlan(plan),
    dnsmasqPid,
    sysctls: { ...plan.sysctls },
    netns: ctx.netns,
    nsId: ctx.nsId,
    startedAt: ctx.now.toISOString(),
    undo
  }
}

export function formatJournal(j: Journal): string {
  return `${JSON.stringify(j, null, 2)}\n`
}

const isString = (v: unknown): v is string => typeof v === 'string'
const isStringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string'
const isArgv = (v: unknown): v is Argv => Array.isArray(v) && v.length > 0 && v.every(isString)

/** Parses and checks a journal file; null with the reason when it is not one we wrote. */
export function parseJournal(text: string): { ok: true; journal: Journal } | { ok: false; reason: string } {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    return { ok: false, reason: `not JSON (${(e as Error).message})` }
  }
  const j = raw as Partial<Record<keyof Journal, unknown>> | null
  if (!j || typeof j !== 'object') return { ok: false, reason: 'not a JSON object' }
  if (j.version !== 1) return { ok: false, reason: `unknown version ${String(j.version)}` }
  if (j.kind !== 'journal' && j.kind !== 'intent') return { ok: false, reason: 'kind must be journal or intent' }
  if (!isString(j.network) || !isString(j.bridge) || !isString(j.startedAt))
    return { ok: false, reason: 'network, bridge and startedAt must be strings' }
  if (!isStringOrNull(j.uuid) || !isStringOrNull(j.pidfile) || !isStringOrNull(j.netns) || !isStringOrNull(j.nsId)) {
    return { ok: false, reason: 'uuid, pidfile, netns and nsId must be strings or null' }
  }
  if (!(
    j.dnsmasqPid === null ||
    (typeof j.dnsmasqPid === 'number' && Number.isInteger(j.dnsmasqPid) && j.dnsmasqPid > 0)
  )) {
    return { ok: false, reason: 'dnsmasqPid must be a positive integer or null' }
  }
  if (
    !Array.isArray(j.tables) ||
    !j.tables.every((t) => t && isString((t as NftTableRef).family) && isString((t as NftTableRef).name))
  ) {
    return { ok: false, reason: 'tables must be a list of {family, name}' }
  }
  if (typeof j.sysctls !== 'object' || j.sysctls === null || !Object.values(j.sysctls).every(isString)) {
    return { ok: false, reason: 'sysctls must map keys to strings' }
  }
  const undoOk =
    Array.isArray(j.undo) &&
    j.undo.every((u) => {
      const s = u as Partial<UndoStep> | null
      return s && isString(s.step) && isString(s.title) && Array.isArray(s.commands) && s.commands.every(isArgv)
    })
  if (!undoOk) return { ok: false, reason: 'undo must be a list of {step, title, commands}' }
  return { ok: true, journal: j as Journal }
}
