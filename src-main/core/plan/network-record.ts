/**
 * What guestnet records about a network it started, and how that record turns back into its undo.
 * The record (the journal `<runtimeDir>/NAME.json`, and the start intent written before the first
 * step) holds facts only: the bridge it made, the nft tables it loaded, dnsmasq's pid and start time,
 * the host sysctls it holds. Nothing in it is ever run: the undo is derived here from those facts, as
 * the same ownership-checked built-ins a plan's rollback uses (build-plan.ts), and a record whose facts
 * are not this network's own objects (another table name, a key outside the sysctl rules, another
 * store) is refused as a whole. Pure.
 */
import type { NftTableRef, Plan, PlanPaths, UndoStep } from '../model/plan'
import { ifnameProblem } from '../validate/syntax'
import { isZoneName } from '../validate/check-bridge'
import { ARTIFACT_KEYS, artifactPath, undoBridge, undoDnsmasq, undoSysctl, undoTable, undoZone } from './build-plan'
import { networkPaths } from './network-paths'
import { nftTableName } from './nft-names'
import { hostSysctlProblem } from './sysctl-keys'
import { bridgeLanAddress } from './lan-plan'
import { lanGuestAddress, MAX_LAN_PROXIES, unproxyArgv } from './lan-proxy'
import { undoVxlan } from './span-plan'
import { VXLAN_NAME } from '../model/span'

export const RECORD_VERSION = 2

export interface NetworkRecord {
  version: typeof RECORD_VERSION
  /** `journal`: the network runs (written after a start fully succeeded); `intent`: a start in progress. */
  kind: 'journal' | 'intent'
  /** The store that made it (core/store/store-id.ts). */
  store: string
  network: string
  uuid: string | null
  /** The bridge guestnet made; null for a host-bridge network (the host's bridge is never touched). */
  bridge: string | null
  /** A host-bridge network: the host's bridge its guests join (recorded, never acted on). */
  hostBridge: string | null
  tables: NftTableRef[]
  /** dnsmasq, when the network runs one: its pid and start time (/proc/PID/stat), null until known. */
  dnsmasq: { pid: number | null; startTime: number | null } | null
  /** The host-wide sysctls it holds in the namespace's ledger. */
  sysctls: string[]
  /** A spanning network's VXLAN port (absent in records of earlier versions: none). */
  vxlan?: string | null
  /** The firewalld zone it put the bridge in (absent in records of earlier versions: none). */
  zone?: string | null
  /** `--netns` name, and the namespace's identity (`net:[4026531840]`) it was started in. */
  netns: string | null
  nsId: string | null
  startedAt: string
  /** Set by a stop before it tears the network down: the guardian leaves it alone from then on. */
  stopping?: true
  /**
   * `ipv6='lan'`: the uplink prefix in use (null: none, the ULA only) and the guest addresses the
   * host answers for on that uplink, each with a /128 route to the bridge (core/plan/lan-proxy.ts).
   */
  lan?: RecordLan
}

export interface RecordLan {
  uplink: { dev: string; prefix: string; bridgeAddress: string } | null
  proxies: string[]
}

/** Why a record's `lan` is not facts of this network's (null: it is). */
function lanProblem(v: unknown): string | null {
  const lan = v as Partial<RecordLan> | null
  if (!lan || typeof lan !== 'object' || !Array.isArray(lan.proxies)) return 'lan must be {uplink, proxies}'
  const u = lan.uplink
  if (u !== null) {
    if (!u || typeof u !== 'object' || !isString(u.dev) || ifnameProblem(u.dev) !== null)
      return 'lan.uplink.dev is not an interface name'
    if (!isString(u.prefix) || bridgeLanAddress(u.prefix, undefined) === null) return 'lan.uplink.prefix is not a /64'
    if (!isString(u.bridgeAddress) || lanGuestAddress(u.bridgeAddress, u.prefix) !== u.bridgeAddress)
      return 'lan.uplink.bridgeAddress is not in its prefix'
  }
  if (lan.proxies.length > MAX_LAN_PROXIES) return 'lan.proxies has too many entries'
  const inPrefix = (a: unknown): boolean => isString(a) && u !== null && lanGuestAddress(a, u.prefix) === a
  if (!lan.proxies.every(inPrefix)) return "lan.proxies must be addresses in the uplink's prefix"
  return null
}

export interface RecordContext {
  store: string
  uuid: string | null
  netns: string | null
  nsId: string | null
  now: Date
}

/** The record of a plan: an intent before its first step; a journal (with dnsmasq's pid) after it succeeded. */
export function recordOfPlan(
  kind: NetworkRecord['kind'],
  plan: Plan,
  ctx: RecordContext,
  dnsmasq: { pid: number | null; startTime: number | null } | null = null
): NetworkRecord {
  const makesBridge = plan.steps.some((s) => s.id === 'bridge')
  const runsDnsmasq = plan.steps.some((s) => s.id === 'dnsmasq')
  const zone = plan.steps.find((s) => s.id === 'zone')?.apply[0]?.[2]
  const vxlan = plan.steps.find((s) => s.id === 'span')?.apply[0]?.[3]
  return {
    version: RECORD_VERSION,
    kind,
    store: ctx.store,
    network: plan.network,
    uuid: ctx.uuid,
    bridge: makesBridge ? plan.bridge : null,
    hostBridge: makesBridge ? null : plan.bridge,
    tables: plan.tables.map((t) => ({ ...t })),
    dnsmasq: runsDnsmasq ? (dnsmasq ?? { pid: null, startTime: null }) : null,
    sysctls: plan.steps.filter((s) => s.id === 'sysctls').flatMap((s) => s.apply.map((a) => a[1])),
    netns: ctx.netns,
    nsId: ctx.nsId,
    startedAt: ctx.now.toISOString(),
    ...(zone !== undefined ? { zone } : {}),
    ...(plan.lan !== undefined ? { lan: lanOfPlan(plan.lan) } : {}),
    ...(vxlan !== undefined ? { vxlan } : {})
  }
}

function lanOfPlan(lan: Plan['lan']): RecordLan {
  return {
    uplink: lan ? { dev: lan.dev, prefix: lan.prefix, bridgeAddress: lan.bridgeAddress } : null,
    proxies: []
  }
}

export function formatRecord(r: NetworkRecord): string {
  return `${JSON.stringify(r, null, 2)}\n`
}

const isString = (v: unknown): v is string => typeof v === 'string'
const isStringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string'
const isCount = (v: unknown): v is number | null => v === null || (Number.isSafeInteger(v) && (v as number) > 0)

export type ParsedRecord = { ok: true; record: NetworkRecord } | { ok: false; reason: string }

/**
 * Reads a record and checks every fact is one of this network's own objects in this store: the file
 * is `network`'s, written by `store`; tables are the network's own names; the bridge a valid
 * interface name; the sysctls within guestnet's rules. Anything else: not this network's record.
 */
export function parseRecord(text: string, expect: { network: string; store: string }): ParsedRecord {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    return { ok: false, reason: `not JSON (${(e as Error).message})` }
  }
  const r = raw as Partial<Record<keyof NetworkRecord, unknown>> | null
  if (!r || typeof r !== 'object') return { ok: false, reason: 'not a JSON object' }
  if (r.version !== RECORD_VERSION) return { ok: false, reason: `not a version ${RECORD_VERSION} record` }
  if (r.kind !== 'journal' && r.kind !== 'intent') return { ok: false, reason: 'kind must be journal or intent' }
  if (r.network !== expect.network) return { ok: false, reason: `it is not network ${expect.network}'s` }
  if (r.store !== expect.store) return { ok: false, reason: `it was written by another store (${String(r.store)})` }
  if (!isString(r.startedAt) || !isStringOrNull(r.uuid) || !isStringOrNull(r.netns) || !isStringOrNull(r.nsId)) {
    return { ok: false, reason: 'startedAt, uuid, netns and nsId must be strings (or null)' }
  }
  for (const field of ['bridge', 'hostBridge'] as const) {
    const b = r[field]
    if (!isStringOrNull(b) || (b !== null && ifnameProblem(b) !== null)) {
      return { ok: false, reason: `${field} is not an interface name` }
    }
  }
  const own = nftTableName(expect.network)
  const tables = r.tables
  if (
    !Array.isArray(tables) ||
    !tables.every(
      (t: Partial<NftTableRef> | null) => t && (t.family === 'inet' || t.family === 'bridge') && t.name === own
    )
  ) {
    return { ok: false, reason: `tables must be the network's own (inet or bridge ${own})` }
  }
  const d = r.dnsmasq as { pid?: unknown; startTime?: unknown } | null | undefined
  if (!(d === null || (d && isCount(d.pid) && isCount(d.startTime)))) {
    return { ok: false, reason: 'dnsmasq must be null or {pid, startTime}' }
  }
  if (r.stopping !== undefined && r.stopping !== true) return { ok: false, reason: 'stopping must be true or absent' }
  const sysctls = r.sysctls
  if (!Array.isArray(sysctls) || !sysctls.every((k) => isString(k) && hostSysctlProblem(k, '1') === null)) {
    return { ok: false, reason: "sysctls must be keys within guestnet's rules" }
  }
  if (r.lan !== undefined) {
    const problem = lanProblem(r.lan)
    if (problem !== null) return { ok: false, reason: problem }
  }
  const zone = r.zone
  if (!(zone === undefined || zone === null || (isString(zone) && isZoneName(zone) && r.bridge !== null))) {
    return { ok: false, reason: "zone must be a firewalld zone name of the network's own bridge (or null)" }
  }
  const vxlan = r.vxlan
  if (!(vxlan === undefined || vxlan === null || (isString(vxlan) && VXLAN_NAME.test(vxlan) && r.bridge !== null))) {
    return {
      ok: false,
      reason: 'vxlan must be the name of a VXLAN port of guestnet (gnvxN) on its own bridge (or null)'
    }
  }
  return { ok: true, record: r as NetworkRecord }
}

/**
 * The undo of what a record says exists, last applied first: dnsmasq, the host sysctls, the tables,
 * the VXLAN port, the bridge, the generated files. Every piece's undo checks it is this network's before it acts.
 */
export function undoOfRecord(r: NetworkRecord, paths: PlanPaths): UndoStep[] {
  const p = networkPaths(paths, r.network)
  const steps: UndoStep[] = []
  const lan = r.lan
  if (lan?.uplink && lan.proxies.length > 0) {
    const dev = lan.uplink.dev
    steps.push({
      step: 'lan',
      title: `Stop answering for ${lan.proxies.length} guest address(es) on ${dev}`,
      commands: lan.proxies.map((a) => unproxyArgv(dev, a))
    })
  }
  if (r.dnsmasq !== null) {
    steps.push({ step: 'dnsmasq', title: 'Stop dnsmasq', commands: undoDnsmasq(p.pidfile, r.dnsmasq.startTime) })
  }
  if (r.sysctls.length > 0) {
    steps.push({ step: 'sysctls', title: 'Restore sysctls', commands: [...r.sysctls].reverse().map(undoSysctl) })
  }
  if (r.tables.length > 0) {
    steps.push({ step: 'firewall', title: 'Delete the firewall tables', commands: r.tables.map(undoTable) })
  }
  if (r.bridge !== null && r.zone) {
    steps.push({
      step: 'zone',
      title: `Take ${r.bridge} out of firewalld zone ${r.zone}`,
      commands: [undoZone(r.bridge, r.zone)]
    })
  }
  if (r.bridge !== null && r.vxlan) {
    steps.push({ step: 'span', title: `Delete VXLAN port ${r.vxlan}`, commands: [undoVxlan(r.vxlan)] })
  }
  if (r.bridge !== null)
    steps.push({ step: 'bridge', title: `Delete bridge ${r.bridge}`, commands: [undoBridge(r.bridge)] })
  steps.push({
    step: 'files',
    title: `Remove the generated files from ${p.dir}`,
    commands: ARTIFACT_KEYS.map((k) => ['@remove', artifactPath(p, k)])
  })
  return steps
}
