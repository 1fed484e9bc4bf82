/** What every verb gets: its checked arguments, the caller, the machine (OpsDeps), the store, host facts. */
import type { HelperArgs, HelperValue, HelperVerb } from '../../contract/helper-protocol'
import { HelperError } from '../../contract/helper-protocol'
import type { HostFacts } from '../../core/model/host-facts'
import type { Problem } from '../../core/model/problem'
import { formatProblem } from '../../core/model/problem'
import type { NetworkEntry, NetworkStore } from '../../store/network-store'
import type { Caller } from '../caller'
import type { OpsDeps } from '../ops/deps'

export interface VerbContext<V extends HelperVerb = HelperVerb> {
  args: HelperArgs<V>
  caller: Caller
  deps: OpsDeps
  /** The store, loaded on first use (stop and status of a running network never need its XML parser). */
  store(): Promise<NetworkStore>
  /** The live host's addresses and routes, read once per request. */
  hostFacts(): Promise<HostFacts>
}

export type VerbRun<V extends HelperVerb> = (ctx: VerbContext<V>) => Promise<HelperValue<V>>

export function invalidDefinition(name: string, problems: readonly Problem[], what = 'is not valid'): HelperError {
  const first = problems[0]
  const shown = problems.slice(0, 10).map(formatProblem).join('; ')
  const more = problems.length > 10 ? `; and ${problems.length - 10} more` : ''
  return new HelperError('INVALID_DEFINITION', `network ${name} ${what}: ${shown}${more}`, {
    field: first?.field,
    ...(first?.fix ? { fix: first.fix } : {})
  })
}

export function notFound(name: string): HelperError {
  return new HelperError('NOT_FOUND', `no network named '${name}'`, {
    field: 'args.name',
    fix: "'guestnet net-list --all' shows the defined networks"
  })
}

/** What requireOk needs of an entry: the store's NetworkEntry, or state/definitions.ts's StoredDefinition. */
type EntryLike = { name: string; state: 'ok' } | { name: string; state: 'broken'; reason: string; file: string }

/** The valid entry of `name` among `entries`, or a NOT_FOUND / INVALID_DEFINITION error. */
export function requireOk<E extends EntryLike = NetworkEntry>(
  entries: readonly E[],
  name: string
): Extract<E, { state: 'ok' }> {
  const entry: EntryLike | undefined = entries.find((e) => e.name === name)
  if (!entry) throw notFound(name)
  if (entry.state !== 'ok') {
    throw new HelperError('INVALID_DEFINITION', `network ${name}'s file is broken: ${entry.reason}`, {
      fix: `fix ${entry.file}, or redefine the network`
    })
  }
  return entry as Extract<E, { state: 'ok' }>
}
