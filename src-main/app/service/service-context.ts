/**
 * What every group of IPC handlers shares: the injected dependencies and the few reads and the one
 * way of changing a network (`applyChange`) they are built from.
 */
import type { HostFacts } from '../../core/model/host-facts'
import type { PlanPaths } from '../../core/model/plan'
import type { DhcpLease } from '../../core/leases/parse-leases'
import { parseLeases } from '../../core/leases/parse-leases'
import type { ChannelOutput, EventName, EventPayload } from '../../contract/ipc-contract'
import type { CommonArgs, HelperArgs, HelperValue } from '../../contract/helper-protocol'
import type { RunHelper } from '../../helper-client/app-runner'
import type { NetworkEntry, OkNetworkEntry } from '../../store/network-store'
import type { ClashBoard } from './clash-board'
import type { DefaultRecords } from './default-state'
import type { FirstSeenStore } from './first-seen-store'
import { helperError, StepTracker } from './helper-errors'
import { ServiceError } from './service-error'
import type { LiveState } from './summaries'

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
  /** When each guest was first seen (network:guests); default: in memory, for this run only. */
  firstSeen?: FirstSeenStore
}

export interface ServiceContext {
  deps: ServiceDeps
  now(): number
  okEntries(): Promise<OkNetworkEntry[]>
  entryOrThrow(name: string): Promise<OkNetworkEntry>
  /** The helper's view of which networks run; read-only, so it never asks for a password. */
  liveStates(): Promise<Map<string, LiveState>>
  isActive(name: string): Promise<boolean>
  leasesOf(name: string): Promise<DhcpLease[]>
  /**
   * One user action as one helper request (`apply`: one pkexec run, one password prompt), with
   * progress events; announces the network's state from the answer (a failed apply left it as it was).
   */
  applyChange(
    args: Omit<HelperArgs<'apply'>, keyof CommonArgs>,
    opId: string | null | undefined
  ): Promise<HelperValue<'apply'>>
}

export function serviceContext(deps: ServiceDeps): ServiceContext {
  const okEntries = async (): Promise<OkNetworkEntry[]> =>
    (await deps.store.list()).filter((e): e is OkNetworkEntry => e.state === 'ok')

  const liveStates = async (): Promise<Map<string, LiveState>> => {
    const r = await deps.helper({ verb: 'status', args: { ...deps.helperArgs } }, { privileged: false })
    const map = new Map<string, LiveState>()
    if (!r.ok) return map
    for (const n of r.value.networks)
      map.set(n.name, {
        state: n.state,
        problems: n.problems,
        ...(n.mtu ? { mtu: n.mtu } : {}),
        ...(n.uplink ? { uplink: { ipv6: n.uplink.ipv6, dev: n.uplink.dev, prefix: n.uplink.prefix } } : {}),
        ...(n.span
          ? { span: { peers: n.span.peers.map(({ address, seen, guests }) => ({ address, seen, guests })) } }
          : {})
      })
    return map
  }

  return {
    deps,
    now: deps.now ?? Date.now,
    okEntries,
    async entryOrThrow(name) {
      const e = await deps.store.get(name)
      if (!e) throw new ServiceError('NOT_FOUND', `there is no network named '${name}'`, { field: 'name' })
      if (e.state === 'broken')
        throw new ServiceError('INVALID_NETWORK', `network '${name}' cannot be read: ${e.reason}`, { field: 'name' })
      return e
    },
    liveStates,
    isActive: async (name) => (await liveStates()).get(name)?.state === 'active',
    async leasesOf(name) {
      const text = await deps.readText(deps.leasesFile(name))
      return text === null ? [] : parseLeases(text).leases
    },
    async applyChange(args, opId) {
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
  }
}
