/** What the renderer knows of the main process: the contract's types, and small helpers around results. */
import type { GuestnetApi } from '../../../src-main/contract/api'
import type { ChannelOutput, EventPayload, IpcError, IpcResult } from '../../../src-main/contract/ipc-contract'

export type { GuestnetApi }
export type { IpcError, IpcResult }
export type NetworkSummary = ChannelOutput<'network:list'>[number]
export type ValidateOutput = ChannelOutput<'network:validate'>
export type PlanOutput = ChannelOutput<'network:plan'>
export type GuestsOutput = ChannelOutput<'network:guests'>
export type ForwardsOutput = ChannelOutput<'network:forwards'>
export type ForwardInfo = ForwardsOutput['forwards'][number]
export type AppInfo = ChannelOutput<'app:info'>
export type ApplyProgress = EventPayload<'apply:progress'>

/** The words the UI shows for a failed call: a cancelled password prompt is not an error. */
export function describeError(error: IpcError): string {
  if (error.code === 'CANCELLED') return 'Cancelled'
  if (error.code === 'NOT_AUTHORISED') return `Not authorised: ${error.message}`
  return error.message
}

/** A fresh id to match an operation with its progress events. */
export function newOpId(): string {
  return `op-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}
