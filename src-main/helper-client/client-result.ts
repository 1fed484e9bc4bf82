/** What a caller gets back: the verb's typed value, or an error from the helper or from starting it. */
import type { HelperErrorBody, HelperValue, HelperVerb } from '../contract/helper-protocol'

/** Errors that come from starting the helper rather than from the helper itself. */
export type LaunchErrorCode = 'CANCELLED' | 'NOT_AUTHORISED' | 'HELPER_FAILED'
export type LaunchError = { code: LaunchErrorCode; message: string; fix?: string }
export type ClientError = HelperErrorBody | LaunchError

export type ClientResult<V extends HelperVerb> = { ok: true; value: HelperValue<V> } | { ok: false; error: ClientError }
