import { contextBridge } from 'electron'

const api = { platform: 'linux' as const }

export type GuestnetApi = typeof api

contextBridge.exposeInMainWorld('guestnet', api)
