/**
 * One IPC call, checked against the contract: the channel must exist, the input must match its
 * schema, and so must the handler's output. Errors become `{ ok: false, error }`; nothing throws.
 * No electron import: Electron's ipcMain and the GUI test harness both call this.
 */
import type { Channel, ChannelInput, ChannelOutput, IpcResult } from '../../contract/ipc-contract'
import { channels, isChannel } from '../../contract/ipc-contract'
import { ServiceError } from '../service/service-error'

export type Handlers = { [C in Channel]: (input: ChannelInput<C>) => Promise<ChannelOutput<C>> }

export type Logger = (message: string) => void

export async function dispatch(
  handlers: Handlers,
  channel: string,
  input: unknown,
  log: Logger = () => undefined
): Promise<IpcResult<unknown>> {
  if (!isChannel(channel))
    return { ok: false, error: { code: 'INVALID_INPUT', message: `unknown channel '${channel}'` } }
  const spec = channels[channel]
  const checked = spec.input.check(input ?? {}, '')
  if (!checked.ok) {
    const { field, message } = checked.issue
    return {
      ok: false,
      error: { code: 'INVALID_INPUT', message: field ? `${field}: ${message}` : message, ...(field ? { field } : {}) }
    }
  }
  try {
    const handler = handlers[channel] as (i: unknown) => Promise<unknown>
    const value = await handler(checked.value)
    const out = (
      spec.output as { check(v: unknown, f: string): { ok: boolean; issue?: { field: string; message: string } } }
    ).check(value, '')
    if (!out.ok) {
      log(`${channel}: output does not match the contract at ${out.issue?.field}: ${out.issue?.message}`)
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: `guestnet bug: ${channel} answered with a malformed ${out.issue?.field || 'value'}`
        }
      }
    }
    return { ok: true, value }
  } catch (e) {
    if (e instanceof ServiceError) return { ok: false, error: e.toIpc() }
    const message = e instanceof Error ? e.message : String(e)
    log(`${channel} failed: ${e instanceof Error && e.stack ? e.stack : message}`)
    return { ok: false, error: { code: 'INTERNAL', message } }
  }
}
