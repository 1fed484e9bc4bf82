/**
 * The renumber channels: `network:renumber` runs the helper's `renumber` verb (with progress
 * events, like every change), then has the clashes checked again so the banner clears;
 * `host:clashes` answers what the host watcher holds. No electron import.
 */
import type { ChannelInput, ChannelOutput } from '../../contract/ipc-contract'
import type { CommonArgs } from '../../contract/helper-protocol'
import type { RunHelper } from '../../helper-client/app-runner'
import type { Emit } from '../network-service'
import type { ClashBoard } from './clash-board'
import { helperError, StepTracker } from './helper-errors'

export interface RenumberDeps {
  helper: RunHelper
  helperArgs: CommonArgs
  emit: Emit
  board: ClashBoard
}

export interface RenumberHandlers {
  'network:renumber': (input: ChannelInput<'network:renumber'>) => Promise<ChannelOutput<'network:renumber'>>
  'host:clashes': (input: ChannelInput<'host:clashes'>) => Promise<ChannelOutput<'host:clashes'>>
}

export function renumberHandlers(deps: RenumberDeps): RenumberHandlers {
  return {
    'network:renumber': async ({ name, to, opId }) => {
      const tracker = new StepTracker(opId ?? null)
      const r = await deps.helper(
        { verb: 'renumber', args: { ...deps.helperArgs, name, ...(to !== undefined ? { to } : {}) } },
        { privileged: true, onEvent: (e) => deps.emit('apply:progress', tracker.toProgress(e)) }
      )
      if (!r.ok) throw helperError(r.error, tracker.rolledBack)
      const v = r.value
      await deps.board.recheck().catch(() => undefined)
      if (v.live) deps.emit('network:state-changed', { network: name, status: 'active' })
      return {
        name,
        from: v.from,
        to: v.to,
        changed: v.changed,
        live: v.live,
        staleGuests: v.staleGuests,
        message: v.message
      }
    },
    'host:clashes': async () => deps.board.current()
  }
}
