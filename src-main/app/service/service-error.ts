/** The error a handler throws to give the renderer a typed `{ ok: false, error }` result. */
import type { ErrorCode, IpcError } from '../../contract/ipc-contract'

export class ServiceError extends Error {
  readonly code: ErrorCode
  readonly field?: string
  readonly rolledBack?: string[]

  constructor(code: ErrorCode, message: string, extra: { field?: string; rolledBack?: string[] } = {}) {
    super(message)
    this.name = 'ServiceError'
    this.code = code
    if (extra.field !== undefined) this.field = extra.field
    if (extra.rolledBack !== undefined && extra.rolledBack.length > 0) this.rolledBack = extra.rolledBack
  }

  toIpc(): IpcError {
    const e: IpcError = { code: this.code, message: this.message }
    if (this.field !== undefined) e.field = this.field
    if (this.rolledBack !== undefined) e.rolledBack = this.rolledBack
    return e
  }
}
