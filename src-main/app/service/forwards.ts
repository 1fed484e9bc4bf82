/**
 * The port forward channels: `network:forwards` lists through the helper's read-only `forwards`
 * verb; `network:forward-add` / `network:forward-del` run its `forward` verb (with progress events,
 * like every change). Inputs were checked against the IPC contract by main; the helper checks
 * everything again. No electron import.
 */
import type { ChannelInput, ChannelOutput } from '../../contract/ipc-contract'
import type { CommonArgs } from '../../contract/helper-protocol'
import type { RunHelper } from '../../helper-client/app-runner'
import type { ClientError } from '../../helper-client/client-result'
import type { Emit } from '../network-service'
import { helperError, StepTracker } from './helper-errors'
import { ServiceError } from './service-error'

export interface ForwardDeps {
  helper: RunHelper
  helperArgs: CommonArgs
  emit: Emit
}

const FORWARD_FIELDS = new Set(['proto', 'port', 'to', 'toPort', 'family', 'address'])

/**
 * The helper names a forward's own arguments `args.port`, `args.to`, which `helperError` leaves out
 * (they are the CLI's); here they are the form's fields, so the error keeps them as `port`, `to`.
 */
export function forwardError(e: ClientError, rolledBack: string[] = []): ServiceError {
  const arg = 'field' in e && e.field?.startsWith('args.') ? e.field.slice('args.'.length) : null
  const error = helperError(e, rolledBack)
  return arg !== null && FORWARD_FIELDS.has(arg)
    ? new ServiceError(error.code, error.message, { field: arg, rolledBack })
    : error
}

type Channel = 'network:forwards' | 'network:forward-add' | 'network:forward-del'
export type ForwardHandlers = { [C in Channel]: (input: ChannelInput<C>) => Promise<ChannelOutput<C>> }

export function forwardHandlers(deps: ForwardDeps): ForwardHandlers {
  const change = async (
    args: ChannelInput<'network:forward-add'> | (ChannelInput<'network:forward-del'> & { to?: undefined }),
    op: 'add' | 'del'
  ): Promise<ChannelOutput<'network:forward-add'>> => {
    const { opId, ...rest } = args
    const tracker = new StepTracker(opId ?? null)
    const r = await deps.helper(
      { verb: 'forward', args: { ...deps.helperArgs, ...rest, op } },
      { privileged: true, onEvent: (e) => deps.emit('apply:progress', tracker.toProgress(e)) }
    )
    if (!r.ok) throw forwardError(r.error, tracker.rolledBack)
    return { name: r.value.network, forward: r.value.forward, live: r.value.live, message: r.value.message }
  }
  return {
    'network:forwards': async ({ name }) => {
      const r = await deps.helper({ verb: 'forwards', args: { ...deps.helperArgs, name } }, { privileged: false })
      if (!r.ok) throw helperError(r.error)
      return { name: r.value.network, running: r.value.running, forwards: r.value.forwards }
    },
    'network:forward-add': (input) => change(input, 'add'),
    'network:forward-del': (input) => change(input, 'del')
  }
}
