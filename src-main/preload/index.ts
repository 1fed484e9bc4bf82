/**
 * The preload: builds `window.guestnet` from the IPC contract (one function per channel, one
 * subscribe function per event) over ipcRenderer, which itself is never exposed.
 */
import type { IpcRendererEvent } from 'electron'
import { contextBridge, ipcRenderer } from 'electron'

import type { GuestnetApi } from '../contract/api'
import { buildApi } from '../contract/api'
import type { IpcResult } from '../contract/ipc-contract'

export type { GuestnetApi }

const api: GuestnetApi = buildApi(
  (channel, input) => ipcRenderer.invoke(channel, input) as Promise<IpcResult<unknown>>,
  (event, listener) => {
    const wrapped = (_e: IpcRendererEvent, payload: unknown): void => listener(payload)
    ipcRenderer.on(event, wrapped)
    return () => void ipcRenderer.removeListener(event, wrapped)
  }
)

contextBridge.exposeInMainWorld('guestnet', api)
