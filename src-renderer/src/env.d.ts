/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { GuestnetApi } from '../../src-main/contract/api'

declare global {
  interface Window {
    /** Built by the preload from the IPC contract (or by the GUI test harness). */
    guestnet: GuestnetApi
  }
}
