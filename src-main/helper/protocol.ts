/**
 * The helper's wire protocol: one JSON request on stdin, newline-delimited JSON events on stdout.
 * A request carries names and, for `define`, XML text: never paths, never commands.
 * See README.md beside this file for the full description.
 */

export const HELPER_VERBS = [
  'define',
  'undefine',
  'start',
  'stop',
  'autostart',
  'autostart-all',
  'status',
  'leases',
  'reconcile',
  'restore-default',
  'doctor',
  'renumber'
] as const

export type HelperVerb = (typeof HELPER_VERBS)[number]

/**
 * Verbs that read only: they run without root (with less detail) and without the lock. `doctor`
 * reads only unless asked to fix or undo; then it checks root, the root dir and takes the lock itself.
 */
export const READ_ONLY_VERBS: ReadonlySet<HelperVerb> = new Set(['status', 'leases', 'doctor'])

/** Common options of every verb. `root` is the store root (`--root`), `netns` the network namespace (`--netns`). */
export interface CommonArgs {
  root?: string
  netns?: string
}

export interface HelperRequest {
  verb: HelperVerb
  args: CommonArgs & {
    /** Network name (start, stop, undefine, autostart, leases; optional for status and reconcile). */
    name?: string
    /** define: the network's XML. */
    xml?: string
    /** autostart: on or off. */
    enable?: boolean
    /** doctor: apply the fix of `all`, a check id or a finding id. */
    fix?: string
    /** doctor: undo the recorded fixes of `all`, a check id or a finding id. */
    undo?: string
    /** renumber: the subnet to move to (`10.122.0.0/24`); default the first free range. */
    to?: string
  }
}

/** The most a request may weigh; anything larger is refused before it is parsed. */
export const MAX_REQUEST_BYTES = 1024 * 1024

export type HelperErrorCode =
  | 'NO_REQUEST'
  | 'TOO_LARGE'
  | 'BAD_JSON'
  | 'BAD_REQUEST'
  | 'UNKNOWN_VERB'
  | 'INVALID_NAME'
  | 'INVALID_DEFINITION'
  | 'BAD_ROOT'
  | 'NOT_FOUND'
  | 'ACTIVE'
  | 'NOT_ACTIVE'
  | 'BRIDGE_TAKEN'
  | 'NOT_ROOT'
  | 'MISSING_PROGRAM'
  | 'NETNS'
  | 'STEP_FAILED'
  | 'STOP_INCOMPLETE'
  | 'FOREIGN_NAMESPACE'
  | 'INTERRUPTED'
  | 'STORE'
  | 'INTERNAL'

export interface HelperErrorBody {
  code: HelperErrorCode
  message: string
  /** The request field at fault (`args.name`, `args.xml`, `ip[0].address`, …). */
  field?: string
  fix?: string
  /** Rollback commands that failed too (their failure is reported here; the original error is `message`). */
  rollbackErrors?: string[]
}

export type HelperEvent =
  | { type: 'step-started'; network: string; step: string; title: string }
  | { type: 'step-done'; network: string; step: string }
  | { type: 'step-failed'; network: string; step: string; error: string }
  | { type: 'rolled-back'; network: string; step: string; errors: string[] }
  | { type: 'result'; ok: true; value: unknown }
  | { type: 'result'; ok: false; error: HelperErrorBody }

export type StepEvent = Exclude<HelperEvent, { type: 'result' }>

/** The helper process's exit codes; the CLI uses the same numbers for 0–3. */
export const HELPER_EXIT = {
  ok: 0,
  /** The operation failed (and was rolled back). */
  failed: 1,
  /** The request was refused: malformed, too large, bad name or definition. Nothing changed. */
  invalid: 2,
  /** The environment is wrong: not root, a program missing, no such namespace. Nothing changed. */
  environment: 3,
  /** SIGTERM/SIGINT: the step in progress was finished and everything rolled back. */
  interrupted: 4,
  /** A bug: an exception the helper did not expect. */
  internal: 70
} as const

export type HelperExitCode = (typeof HELPER_EXIT)[keyof typeof HELPER_EXIT]

const INVALID_CODES: ReadonlySet<HelperErrorCode> = new Set([
  'NO_REQUEST',
  'TOO_LARGE',
  'BAD_JSON',
  'BAD_REQUEST',
  'UNKNOWN_VERB',
  'INVALID_NAME',
  'INVALID_DEFINITION',
  'BAD_ROOT'
])
const ENVIRONMENT_CODES: ReadonlySet<HelperErrorCode> = new Set([
  'NOT_ROOT',
  'MISSING_PROGRAM',
  'NETNS',
  'FOREIGN_NAMESPACE'
])

export function exitCodeFor(code: HelperErrorCode): HelperExitCode {
  if (INVALID_CODES.has(code)) return HELPER_EXIT.invalid
  if (ENVIRONMENT_CODES.has(code)) return HELPER_EXIT.environment
  if (code === 'INTERRUPTED') return HELPER_EXIT.interrupted
  if (code === 'INTERNAL') return HELPER_EXIT.internal
  return HELPER_EXIT.failed
}

/** An error the helper reports as a `result` with `ok: false`. */
export class HelperError extends Error {
  readonly code: HelperErrorCode
  readonly field?: string
  readonly fix?: string
  readonly rollbackErrors?: string[]

  constructor(
    code: HelperErrorCode,
    message: string,
    extra: { field?: string; fix?: string; rollbackErrors?: string[] } = {}
  ) {
    super(message)
    this.name = 'HelperError'
    this.code = code
    if (extra.field !== undefined) this.field = extra.field
    if (extra.fix !== undefined) this.fix = extra.fix
    if (extra.rollbackErrors !== undefined && extra.rollbackErrors.length > 0)
      this.rollbackErrors = extra.rollbackErrors
  }

  toBody(): HelperErrorBody {
    const body: HelperErrorBody = { code: this.code, message: this.message }
    if (this.field !== undefined) body.field = this.field
    if (this.fix !== undefined) body.fix = this.fix
    if (this.rollbackErrors !== undefined) body.rollbackErrors = this.rollbackErrors
    return body
  }
}

export function errorBody(error: unknown): HelperErrorBody {
  if (error instanceof HelperError) return error.toBody()
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'INTERNAL', message: `internal error: ${message}` }
}

export function formatErrorBody(e: HelperErrorBody): string {
  const field = e.field ? ` [${e.field}]` : ''
  const fix = e.fix ? `\n  fix: ${e.fix}` : ''
  const rb = e.rollbackErrors?.length
    ? `\n  rollback problems:\n${e.rollbackErrors.map((r) => `    - ${r}`).join('\n')}`
    : ''
  return `${e.message}${field}${fix}${rb}`
}
