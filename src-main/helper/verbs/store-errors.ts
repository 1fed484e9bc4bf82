/** StoreError (the file-backed store's) → HelperError, keeping the file and the fix. */
import { StoreError } from '../../store/store-error'
import type { HelperErrorCode } from '../../contract/helper-protocol'
import { HelperError } from '../../contract/helper-protocol'

const CODES: Record<StoreError['code'], HelperErrorCode> = {
  NOT_FOUND: 'NOT_FOUND',
  HOST_CONFIG_CORRUPT: 'STORE',
  DEFAULT_RECORD_CORRUPT: 'STORE',
  DEFAULT_EXISTS: 'STORE',
  NO_FREE_RANGE: 'STORE',
  INVALID: 'INVALID_DEFINITION'
}

export async function mapStoreErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof StoreError) {
      throw new HelperError(CODES[e.code] ?? 'STORE', e.message, {
        ...(e.problems[0]?.field ? { field: e.problems[0].field } : {}),
        ...(e.fix ? { fix: e.fix } : {})
      })
    }
    throw e
  }
}
