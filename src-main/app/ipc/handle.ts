/**
 * Registers every contract channel with Electron's ipcMain: the sender frame is checked first (our
 * window, our renderer URL), then `dispatch` checks the input, runs the handler and the output.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'

import { channels, events } from '../../contract/ipc-contract'
import type { EventName, EventPayload, IpcResult } from '../../contract/ipc-contract'
import type { Handlers, Logger } from './dispatch'
import { dispatch } from './dispatch'
import type { TrustedOrigins } from './trusted-sender'
import { isTrustedUrl } from './trusted-sender'

export interface HandleOptions {
  ipcMain: IpcMain
  handlers: Handlers
  trusted: TrustedOrigins
  /** Our window's webContents (only its frames may call). */
  sender: () => WebContents | null
  log: Logger
}

export function registerHandlers(o: HandleOptions): () => void {
  const names = Object.keys(channels)
  for (const channel of names) {
    o.ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<IpcResult<unknown>> => {
      const ours = o.sender()
      const url = event.senderFrame?.url
      if (!ours || event.sender.id !== ours.id || !isTrustedUrl(url, o.trusted)) {
        o.log(`refused ${channel} from ${url ?? 'an unknown frame'}`)
        return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'this page may not use guestnet' } }
      }
      return dispatch(o.handlers, channel, input, o.log)
    })
  }
  return () => names.forEach((c) => o.ipcMain.removeHandler(c))
}

/** Sends an event to the window, after checking it against the contract. */
export function sendEvent<E extends EventName>(
  target: WebContents | null,
  event: E,
  payload: EventPayload<E>,
  log: Logger
): void {
  const checked = events[event].check(payload, '')
  if (!checked.ok) {
    log(`not sending ${event}: ${checked.issue.field} ${checked.issue.message}`)
    return
  }
  if (target && !target.isDestroyed()) target.send(event, payload)
}
