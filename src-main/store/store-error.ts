/** Errors of the file-backed store: each names the file concerned and what the admin can do. */
import type { Problem } from '../core/model/problem'

export type StoreErrorCode =
  'NOT_FOUND' | 'HOST_CONFIG_CORRUPT' | 'DEFAULT_RECORD_CORRUPT' | 'DEFAULT_EXISTS' | 'NO_FREE_RANGE' | 'INVALID'

export interface StoreErrorDetails {
  file?: string
  fix?: string
  problems?: Problem[]
}

export class StoreError extends Error {
  readonly code: StoreErrorCode
  readonly file?: string
  readonly fix?: string
  readonly problems: Problem[]

  constructor(code: StoreErrorCode, message: string, details: StoreErrorDetails = {}) {
    super(details.fix ? `${message}: ${details.fix}` : message)
    this.name = 'StoreError'
    this.code = code
    this.file = details.file
    this.fix = details.fix
    this.problems = details.problems ?? []
  }
}
