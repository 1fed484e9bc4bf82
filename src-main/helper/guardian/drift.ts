/**
 * What the guardian keeps as it was started, what it finds, and the steps that put it back. The
 * wanted state comes from the journal's facts (which tables, which host sysctls, whether dnsmasq
 * runs) and the plan rebuilt from the stored definition (values, addresses, the ruleset); the
 * restore is a list of plan steps for the one executor (apply-plan.ts), made of the same commands a
 * start runs, fed from the plan in memory (`@write` first). Pure.
 */
import type { Argv, NftTableRef, Plan, PlanPaths, PlanStep } from '../../core/model/plan'
import type { ArtifactKey } from '../../core/plan/build-plan'
import { ARTIFACT_KEYS, artifactPath } from '../../core/plan/build-plan'
import { networkPaths } from '../../core/plan/network-paths'
import type { NetworkRecord } from '../../core/plan/network-record'
import { tableKey } from '../state/live-state'

export interface WantedNetwork {
  network: string
  bridge: string | null
  tables: NftTableRef[]
  /** Host sysctls the journal says it holds, with the plan's values. */
  hostSysctls: Array<[string, string]>
  /** Sysctls of its own bridge. */
  bridgeSysctls: Array<[string, string]>
  /** `ip/prefix` → the plan's `address add …` words for it. */
  addresses: Map<string, string[]>
  dnsmasq: boolean
  /** Its ports get the kernel's isolation flag (`<port isolated='yes'/>` without nft bridge meta). */
  isolatePorts: boolean
  /** The firewalld zone its start put the bridge in (the journal's), or null. */
  zone: string | null
}

export interface ObservedNetwork {
  /** `family name` of the tables there; null when they could not be listed. */
  tables: ReadonlySet<string> | null
  /** Tables there whose rules differ from what was loaded. */
  changedTables: ReadonlySet<string>
  sysctls: ReadonlyMap<string, string | null>
  bridge: boolean
  /** `ip/prefix` of the bridge's addresses; null when not read. */
  addresses: ReadonlySet<string> | null
  /** The journal's dnsmasq (pid and start time) still runs. */
  dnsmasq: boolean
  /** Ports of the bridge without the isolation flag (read only when wanted). */
  openPorts: readonly string[]
  isolatedPorts: readonly string[]
  /** The bridge's firewalld zone ('' for none); null: no firewalld here; absent: not asked. */
  zone?: string | null
}

export type DriftKind = 'bridge' | 'address' | 'table' | 'sysctl' | 'dnsmasq' | 'port' | 'zone'

export interface Drift {
  kind: DriftKind
  /** The object, as said in logs and used to count undos: `table inet guestnet_default`. */
  object: string
  detail: string
}

function stepCommands(plan: Plan, id: string, builtin: string): Argv[] {
  return plan.steps.filter((s) => s.id === id).flatMap((s) => s.apply.filter((a) => a[0] === builtin))
}

/** `address add 10.0.0.1/24 broadcast + dev br0` lines of the plan's ip batches. */
function addressLines(plan: Plan): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const key of ['ip.batch', 'ip6.batch']) {
    for (const line of (plan.artifacts[key] ?? '').split('\n')) {
      const words = line.trim().split(/\s+/)
      if (words[0] === 'address' && words[1] === 'add' && words[2]?.includes('/')) out.set(words[2], words)
    }
  }
  return out
}

export function wantedOf(plan: Plan, record: NetworkRecord): WantedNetwork {
  const held = new Set(record.sysctls)
  const pairs = (argvs: Argv[]): Array<[string, string]> => argvs.map((a) => [a[1], a[2]])
  return {
    network: record.network,
    bridge: record.bridge,
    tables: record.tables,
    hostSysctls: pairs(stepCommands(plan, 'sysctls', '@sysctl')).filter(([k]) => held.has(k)),
    bridgeSysctls: record.bridge === null ? [] : pairs(stepCommands(plan, 'bridge', '@sysctl-bridge')),
    addresses: record.bridge === null ? new Map() : addressLines(plan),
    dnsmasq: record.dnsmasq !== null,
    isolatePorts: record.bridge !== null && stepCommands(plan, 'ports', '@isolate-ports').length > 0,
    zone: record.bridge === null ? null : (record.zone ?? null)
  }
}

const sameValue = (a: string | null | undefined, b: string): boolean =>
  (a ?? '').trim().split(/\s+/).join(' ') === b.trim().split(/\s+/).join(' ')

/** What differs from the wanted state; a missing bridge stands for its addresses and sysctls too. */
export function findDrift(w: WantedNetwork, o: ObservedNetwork): Drift[] {
  const out: Drift[] = []
  if (w.bridge !== null && !o.bridge) {
    out.push({ kind: 'bridge', object: `bridge ${w.bridge}`, detail: `bridge ${w.bridge} was deleted` })
  }
  if (w.bridge !== null && o.bridge) {
    if (o.addresses !== null)
      for (const cidr of w.addresses.keys())
        if (!o.addresses.has(cidr))
          out.push({
            kind: 'address',
            object: `address ${cidr}`,
            detail: `address ${cidr} was removed from ${w.bridge}`
          })
    // A guest that joins later is a new port (its own object): never counted as an undo of another's.
    if (w.isolatePorts)
      for (const port of o.openPorts)
        out.push({ kind: 'port', object: `port ${port}`, detail: `port ${port} of ${w.bridge} is not isolated` })
    // In no zone: firewalld forgot it (a reload or restart drops runtime bindings). In another zone:
    // the admin moved it, and that is left as it is.
    if (w.zone !== null && o.zone === '')
      out.push({
        kind: 'zone',
        object: `zone of ${w.bridge}`,
        detail: `${w.bridge} is in no firewalld zone (firewalld was reloaded or restarted)`
      })
    for (const [key, value] of w.bridgeSysctls)
      if (!sameValue(o.sysctls.get(key), value))
        out.push({ kind: 'sysctl', object: key, detail: `${key} was set to ${o.sysctls.get(key)?.trim() ?? '(gone)'}` })
  }
  for (const t of w.tables) {
    const key = tableKey(t)
    if (o.tables !== null && !o.tables.has(key))
      out.push({ kind: 'table', object: `table ${key}`, detail: `nft table ${key} was deleted` })
    else if (o.changedTables.has(key))
      out.push({ kind: 'table', object: `table ${key}`, detail: `the rules of nft table ${key} were changed` })
  }
  for (const [key, value] of w.hostSysctls)
    if (!sameValue(o.sysctls.get(key), value))
      out.push({ kind: 'sysctl', object: key, detail: `${key} was set to ${o.sysctls.get(key)?.trim() ?? '(gone)'}` })
  if (w.dnsmasq && !o.dnsmasq) out.push({ kind: 'dnsmasq', object: 'dnsmasq', detail: 'dnsmasq is not running' })
  return out
}

/** Artifact keys whose file is not what the plan would write: the network runs another definition. */
export function differingArtifacts(plan: Plan, fileText: (key: ArtifactKey) => string | null): ArtifactKey[] {
  return ARTIFACT_KEYS.filter((k) => (plan.artifacts[k] ?? null) !== fileText(k))
}

function writes(plan: Plan, paths: PlanPaths, keys: readonly ArtifactKey[]): Argv[] {
  const p = networkPaths(paths, plan.network)
  return keys.filter((k) => k in plan.artifacts).map((k) => ['@write', artifactPath(p, k), k])
}

/**
 * The steps that put `drifts` right, in the order a start makes things (bridge, its addresses and
 * sysctls, the firewall, host sysctls, dnsmasq), one after another. No rollback: a restore that
 * fails leaves the object as it found it, missing. A table is reloaded as the whole ruleset (it
 * creates every table of the network at once), after deleting the network's tables still there.
 */
export function restoreSteps(
  drifts: readonly Drift[],
  plan: Plan,
  paths: PlanPaths,
  present: { tables: readonly NftTableRef[]; zone?: string | null }
): PlanStep[] {
  const kinds = new Set(drifts.map((d) => d.kind))
  const steps: PlanStep[] = []
  const add = (id: string, title: string, apply: Argv[]): void => {
    if (apply.length > 0) steps.push({ id: `restore-${id}`, title, apply, rollback: [] })
  }
  if (kinds.has('bridge')) {
    const bridge = plan.steps.find((s) => s.id === 'bridge')
    add('bridge', `Make bridge ${plan.bridge} again`, [
      ...writes(plan, paths, ['ip.batch', 'ip6.batch']),
      ...(bridge?.apply ?? []),
      // The journal's zone: a bridge made again is in no firewalld zone.
      ...(present.zone ? [['@firewalld-zone', plan.bridge, present.zone]] : [])
    ])
  }
  const own = (d: Drift): boolean =>
    d.kind === 'address' || (d.kind === 'sysctl' && d.object.includes(`.${plan.bridge}.`))
  const wanted = wantedOfPlan(plan)
  add(
    'bridge-settings',
    `Put back the addresses and settings of ${plan.bridge}`,
    drifts
      .filter(own)
      .map((d) =>
        d.kind === 'address'
          ? ['ip', ...(wanted.addresses.get(d.object.slice('address '.length)) ?? [])]
          : ['@sysctl-bridge', d.object, wanted.sysctls.get(d.object) ?? '']
      )
  )
  if (kinds.has('zone') && !kinds.has('bridge') && present.zone)
    add('zone', `Put ${plan.bridge} back in firewalld zone ${present.zone}`, [
      ['@firewalld-zone', plan.bridge, present.zone]
    ])
  if (kinds.has('port') || (kinds.has('bridge') && plan.steps.some((s) => s.id === 'ports'))) {
    add('ports', `Isolate the ports of ${plan.bridge}`, plan.steps.find((s) => s.id === 'ports')?.apply ?? [])
  }
  if (kinds.has('table')) {
    const p = networkPaths(paths, plan.network)
    add('firewall', `Load the firewall of ${plan.network} again`, [
      ...present.tables.map((t): Argv => ['@delete-table', t.family, t.name]),
      ...writes(plan, paths, ['nft']),
      ['nft', '-f', p.ruleset]
    ])
  }
  add(
    'sysctls',
    'Set the host sysctls again',
    drifts
      .filter((d) => d.kind === 'sysctl' && !own(d))
      .map((d) => ['@sysctl-reassert', d.object, wanted.sysctls.get(d.object) ?? ''])
  )
  if (kinds.has('dnsmasq')) {
    const dnsmasq = plan.steps.find((s) => s.id === 'dnsmasq')
    add('dnsmasq', 'Start dnsmasq again', [
      ...writes(plan, paths, ['dnsmasq.conf', 'hostsfile', 'addnhosts']),
      ...(dnsmasq?.apply ?? [])
    ])
  }
  // No `after`: each waits for the ones before it (apply-plan.ts).
  return steps
}

function wantedOfPlan(plan: Plan): { addresses: Map<string, string[]>; sysctls: Map<string, string> } {
  return { addresses: addressLines(plan), sysctls: new Map(Object.entries(plan.sysctls)) }
}
