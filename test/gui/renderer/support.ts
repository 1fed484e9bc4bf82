/** Small helpers the renderer specs share. */
import type { Page } from '@playwright/test'

import type { GuestnetApi } from '../../../src-main/contract/api'

export const card = (page: Page, name: string) => page.getByRole('listitem', { name })

/** The page's own `window.guestnet`, for calls a test makes the way the UI makes them. */
export type WithApi = { guestnet: GuestnetApi }

/** What the harness's `ensure-default` answers (the store's first-run step). */
export interface EnsureDefault {
  action: string
  entry?: { def: { uuid?: string; bridge?: { name: string } } }
}
