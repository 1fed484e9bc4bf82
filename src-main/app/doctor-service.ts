/**
 * The Doctor page's handlers: the helper's `doctor` verb, read-only by default (no password; the
 * firewall checks then say they need root), with every check when asked (`full`), and fixes and
 * undos always as root. The report is the helper's, checked against the contract by dispatch.
 */
import type { ChannelOutput } from '../contract/ipc-contract'
import type { CommonArgs, HelperArgs } from '../contract/helper-protocol'
import type { RunHelper } from '../helper-client/app-runner'
import type { Handlers } from './ipc/dispatch'
import { helperError } from './service/helper-errors'

export type DoctorChannel = 'doctor:run' | 'doctor:fix' | 'doctor:undo'
type Report = ChannelOutput<'doctor:run'>

export interface DoctorDeps {
  helper: RunHelper
  helperArgs: CommonArgs
}

export function doctorHandlers(deps: DoctorDeps): Pick<Handlers, DoctorChannel> {
  async function call(extra: Pick<HelperArgs<'doctor'>, 'fix' | 'undo'>, privileged: boolean): Promise<Report> {
    const readOnly = extra.fix === undefined && extra.undo === undefined
    const r = await deps.helper({ verb: 'doctor', args: { ...deps.helperArgs, ...extra } }, { privileged, readOnly })
    if (!r.ok) throw helperError(r.error)
    return r.value
  }
  return {
    'doctor:run': ({ full }) => call({}, full === true),
    'doctor:fix': ({ id }) => call({ fix: id }, true),
    'doctor:undo': ({ id }) => call({ undo: id }, true)
  }
}
