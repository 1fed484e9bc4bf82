/**
 * The IPC handlers as plain functions over injected dependencies: reads come from the store and
 * the host, every change goes through the privileged helper. No electron import, so the GUI test
 * harness registers these very functions behind its HTTP shim.
 */
import { findClashes } from '../core/host/clash'
import type { HostFacts } from '../core/model/host-facts'
import type { NetworkDef } from '../core/model/network'
import type { PlanPaths } from '../core/model/plan'
import type { Problem } from '../core/model/problem'
import { parseCidr } from '../core/net/cidr'
import { buildPlan } from '../core/plan/build-plan'
import { validateNetwork } from '../core/validate/validate-network'
import { formatNetworkXml } from '../core/xml/format-network-xml'
import { parseNetworkXml } from '../core/xml/parse-network-xml'
import type { ChannelOutput, EventName, EventPayload } from '../contract/ipc-contract'
import type { DhcpLease } from '../core/leases/parse-leases'
import { parseLeases } from '../core/leases/parse-leases'
import type { CommonArgs, HelperArgs, HelperValue } from '../contract/helper-protocol'
import type { NetworkEntry, OkNetworkEntry } from '../store/network-store'
import { doctorHandlers } from './doctor-service'
import type { RunHelper } from '../helper-client/app-runner'
import type { Handlers } from './ipc/dispatch'
import { addressPlan } from './service/address-plan'
import { ClashBoard } from './service/clash-board'
import type { DefaultRecords } from './service/default-state'
import { defaultStateOf } from './service/default-state'
import { helperError, StepTracker } from './service/helper-errors'
import { renumberHandlers } from './service/renumber'
import { ServiceError } from './service/service-error'
import type { LiveState } from './service/summaries'
import { guestCount, summarize } from './service/summaries'
import { suggest } from './service/suggest'

export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void

export interface ServiceDeps {
  store: { list(): Promise<NetworkEntry[]>; get(name: string): Promise<NetworkEntry | null> }
  helper: RunHelper
  /** `--root` and `--netns` for every helper request. */
  helperArgs: CommonArgs
  hostFacts(): Promise<HostFacts>
  /** Where the plan puts runtime files and leases (for the review screen). */
  planPaths: PlanPaths
  leasesFile(name: string): string
  readText(path: string): Promise<string | null>
  /** This host's ULA /48 (host.json), or null when it has none yet. */
  hostUla(): Promise<string | null>
  rangePool(): Promise<readonly string[] | undefined>
  /** The default network's records in the store (created once, deleted on purpose). */
  defaultRecords(): Promise<DefaultRecords>
  emit: Emit
  info: ChannelOutput<'app:info'>
  now?: () => number
  /** The host watcher's clashes (host:clashes, network:renumber); default: none known. */
  board?: ClashBoard
}

type Out<C extends keyof Handlers> = ReturnType<Handlers[C]>

export function createNetworkService(deps: ServiceDeps): Handlers {
  const now = deps.now ?? Date.now

  async function okEntries(): Promise<OkNetworkEntry[]> {
    return (await deps.store.list()).filter((e): e is OkNetworkEntry => e.state === 'ok')
  }

  async function entryOrThrow(name: string): Promise<OkNetworkEntry> {
    const e = await deps.store.get(name)
    if (!e) throw new ServiceError('NOT_FOUND', `there is no network named '${name}'`, { field: 'name' })
    if (e.state === 'broken')
      throw new ServiceError('INVALID_NETWORK', `network '${name}' cannot be read: ${e.reason}`, { field: 'name' })
    return e
  }

  /** The helper's view of which networks run; read-only, so it never asks for a password. */
  async function liveStates(): Promise<Map<string, LiveState>> {
    const r = await deps.helper({ verb: 'status', args: { ...deps.helperArgs } }, { privileged: false })
    const map = new Map<string, LiveState>()
    if (!r.ok) return map
    for (const n of r.value.networks) map.set(n.name, { state: n.state, problems: n.problems })
    return map
  }

  async function leasesOf(name: string): Promise<DhcpLease[]> {
    const text = await deps.readText(deps.leasesFile(name))
    return text === null ? [] : parseLeases(text).leases
  }

  /**
   * One user action as one helper request (`apply`: one pkexec run, one password prompt), with
   * progress events; announces the network's state from the answer (a failed apply left it as it was).
   */
  async function applyChange(
    args: Omit<HelperArgs<'apply'>, keyof CommonArgs>,
    opId: string | null | undefined
  ): Promise<HelperValue<'apply'>> {
    const tracker = new StepTracker(opId ?? null)
    const r = await deps.helper(
      { verb: 'apply', args: { ...deps.helperArgs, ...args } },
      { privileged: true, onEvent: (e) => deps.emit('apply:progress', tracker.toProgress(e)) }
    )
    if (!r.ok) throw helperError(r.error, tracker.rolledBack)
    const status = r.value.state === 'active' ? 'active' : 'inactive'
    deps.emit('network:state-changed', { network: args.name, status })
    return r.value
  }

  async function isActive(name: string): Promise<boolean> {
    return (await liveStates()).get(name)?.state === 'active'
  }

  /** The core's verdict, plus the host clashes by themselves so the UI can name interface and route. */
  async function check(def: NetworkDef, editing: string | undefined): Promise<ChannelOutput<'network:validate'>> {
    const [entries, facts] = await Promise.all([okEntries(), deps.hostFacts()])
    const others = entries.filter((e) => e.name !== (editing ?? '\0')).map((e) => e.def)
    let problems: Problem[] = validateNetwork(def, { others, hostFacts: facts })
    const ignoreDevs = def.bridge?.name ? [def.bridge.name] : []
    const clashes = def.ips.flatMap((ip) => {
      const subnet = parseCidr(`${ip.address}/${ip.prefix}`)
      return subnet ? findClashes(subnet, facts, { ignoreDevs }) : []
    })
    const clashMessages = new Set(clashes.map((c) => c.message))
    problems = problems.filter((p) => !clashMessages.has(p.message))
    return {
      problems,
      clashes: clashes.map((c) => ({ overlaps: c.other, ifname: c.dev ?? null, table: c.table, message: c.message }))
    }
  }

  const handlers: Handlers = {
    'app:info': async () => deps.info,
    ...doctorHandlers({ helper: deps.helper, helperArgs: deps.helperArgs }),
    ...renumberHandlers({
      helper: deps.helper,
      helperArgs: deps.helperArgs,
      emit: deps.emit,
      board: deps.board ?? new ClashBoard(deps.emit)
    }),

    'network:list': async () => {
      const [entries, states] = await Promise.all([deps.store.list(), liveStates()])
      const seconds = Math.floor(now() / 1000)
      return Promise.all(
        entries.map(async (e) => summarize(e, states.get(e.name), guestCount(await leasesOf(e.name), seconds)))
      )
    },

    'network:get': async ({ name }) => {
      const e = await entryOrThrow(name)
      return {
        name,
        def: e.def,
        xml: e.xml,
        autostart: e.autostart,
        status: (await isActive(name)) ? 'active' : 'inactive'
      }
    },

    'network:define': async (input): Out<'network:define'> => {
      const { def, editing, opId } = input
      if (editing !== undefined && def.name !== editing) {
        throw new ServiceError('INVALID_NETWORK', `a network's name cannot change (was '${editing}')`, {
          field: 'name'
        })
      }
      const existing = await deps.store.get(def.name)
      if (editing === undefined && existing) {
        throw new ServiceError('ALREADY_EXISTS', `a network named '${def.name}' already exists`, { field: 'name' })
      }
      const { problems, clashes } = await check(def, editing)
      if (clashes.length > 0)
        throw new ServiceError('CLASH', clashes.map((c) => c.message).join('; '), { field: 'ips[0].address' })
      if (problems.length > 0) {
        const p = problems[0]
        throw new ServiceError('INVALID_NETWORK', `${p.message}${p.fix ? `: ${p.fix}` : ''}`, { field: p.field })
      }
      const xml = existing?.state === 'ok' ? mergedXml(existing, def) : formatNetworkXml(def)
      const done = await applyChange(
        {
          name: def.name,
          xml,
          ...(input.autostart !== undefined ? { autostart: input.autostart } : {}),
          ...(input.start ? { state: 'active' as const } : {})
        },
        opId
      )
      const stored = await entryOrThrow(def.name)
      return { name: def.name, xml: stored.xml, status: done.state === 'active' ? 'active' : 'inactive' }
    },

    'network:undefine': async ({ name, opId }) => {
      if (!(await deps.store.get(name)))
        throw new ServiceError('NOT_FOUND', `there is no network named '${name}'`, { field: 'name' })
      await applyChange({ name, delete: true }, opId)
      return { name }
    },

    'network:start': async ({ name, opId }) => {
      await applyChange({ name, state: 'active' }, opId)
      return { name }
    },

    'network:stop': async ({ name, opId }) => {
      await applyChange({ name, state: 'inactive' }, opId)
      return { name }
    },

    'network:set-autostart': async ({ name, autostart }) => {
      await applyChange({ name, autostart }, null)
      return { name, autostart }
    },

    'network:export-xml': async ({ name }) => {
      const e = await entryOrThrow(name)
      return { name, xml: e.xml, fileName: `${name}.xml` }
    },

    'network:import-xml': async ({ xml, name }) => {
      const parsed = parseNetworkXml(xml)
      if (!parsed.ok) {
        const p = parsed.problems[0]
        const more = parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more)` : ''
        throw new ServiceError(
          'INVALID_NETWORK',
          `${p.field}${p.line ? ` (line ${p.line})` : ''}: ${p.message}${p.fix ? `: ${p.fix}` : ''}${more}`,
          {
            field: p.field
          }
        )
      }
      const def = name === undefined ? parsed.def : { ...parsed.def, name }
      if (await deps.store.get(def.name)) {
        throw new ServiceError(
          'ALREADY_EXISTS',
          `a network named '${def.name}' already exists: delete it first or import under another name`,
          { field: 'name' }
        )
      }
      const text = name === undefined ? xml : formatNetworkXml(def, parsed.doc)
      await applyChange({ name: def.name, xml: text }, null)
      const stored = await entryOrThrow(def.name)
      return { name: def.name, xml: stored.xml }
    },

    'network:restore-default': async ({ opId }) => {
      const tracker = new StepTracker(opId ?? null)
      const r = await deps.helper(
        { verb: 'restore-default', args: { ...deps.helperArgs } },
        { privileged: true, onEvent: (e) => deps.emit('apply:progress', tracker.toProgress(e)) }
      )
      if (!r.ok) throw helperError(r.error, tracker.rolledBack)
      return { name: 'default' }
    },

    'network:default-state': async () => defaultStateOf(await deps.defaultRecords()),

    'network:validate': async ({ def, editing }) => check(def, editing),

    'network:plan': async ({ def }) => {
      const facts = await deps.hostFacts()
      let plan
      try {
        plan = buildPlan(structuredClone(def), { paths: deps.planPaths, hostFacts: facts })
      } catch (e) {
        throw new ServiceError('INVALID_NETWORK', `cannot plan this network: ${(e as Error).message}`)
      }
      return {
        xml: formatNetworkXml(def),
        steps: plan.steps.map((s) => ({ id: s.id, title: s.title, apply: s.apply, rollback: s.rollback })),
        nftRuleset: plan.nftRuleset,
        dnsmasqConf: plan.dnsmasqConf,
        sysctls: plan.sysctls
      }
    },

    'network:address-plan': async (input) => addressPlan(input),

    'network:leases': async ({ name }) => {
      const e = await entryOrThrow(name)
      const seconds = Math.floor(now() / 1000)
      const leases = (await leasesOf(name)).filter((l) => l.expiry === null || l.expiry > seconds)
      return {
        name,
        leases: leases.map((l) => ({
          mac: l.mac,
          ip: l.ip,
          hostname: l.hostname,
          expiresAt: l.expiry,
          clientId: l.clientId
        })),
        reservations: e.def.ips.flatMap((ip) =>
          (ip.dhcp?.hosts ?? []).map((h) => ({ mac: h.mac ?? null, ip: h.ip ?? null, name: h.name ?? null }))
        )
      }
    },

    'host:suggest-range': async ({ purpose }) => {
      const [entries, facts, ula48, pool] = await Promise.all([
        deps.store.list(),
        deps.hostFacts(),
        deps.hostUla(),
        deps.rangePool()
      ])
      const defs = entries.flatMap((e) => (e.state === 'ok' ? [e.def] : []))
      return suggest({ purpose, facts, names: entries.map((e) => e.name), defs, ula48, ...(pool ? { pool } : {}) })
    },

    'host:facts-summary': async () => {
      const facts = await deps.hostFacts()
      const byIf = new Map<string, string[]>()
      for (const a of facts.addresses) byIf.set(a.ifname, [...(byIf.get(a.ifname) ?? []), `${a.address}/${a.prefix}`])
      return {
        interfaces: [...byIf].map(([ifname, addresses]) => ({ ifname, addresses })),
        routes: facts.routes.map((r) => ({ dst: r.dst, dev: r.dev ?? null, table: r.table }))
      }
    }
  }
  return handlers
}

/** Editing keeps the admin's comments: the stored document is re-written with the new values. */
function mergedXml(existing: OkNetworkEntry, def: NetworkDef): string {
  const parsed = parseNetworkXml(existing.xml)
  return parsed.ok ? formatNetworkXml(def, parsed.doc) : formatNetworkXml(def)
}
