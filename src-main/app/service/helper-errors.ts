/** From the helper's answers to the contract's: errors with codes the UI knows, events as apply progress. */
import type { EventPayload, ErrorCode } from '../../contract/ipc-contract'
import type { HelperErrorCode, StepEvent } from '../../contract/helper-protocol'
import type { ClientError } from '../../helper-client/client-result'
import { ServiceError } from './service-error'

const CODE: Partial<Record<HelperErrorCode | 'CANCELLED' | 'NOT_AUTHORISED' | 'HELPER_FAILED', ErrorCode>> = {
  CANCELLED: 'CANCELLED',
  NOT_AUTHORISED: 'NOT_AUTHORISED',
  INVALID_DEFINITION: 'INVALID_NETWORK',
  INVALID_NAME: 'INVALID_NETWORK',
  BRIDGE_TAKEN: 'INVALID_NETWORK',
  NOT_FOUND: 'NOT_FOUND',
  STEP_FAILED: 'APPLY_FAILED',
  STOP_INCOMPLETE: 'APPLY_FAILED',
  INTERRUPTED: 'APPLY_FAILED'
}

/** Field of a helper error, in the definition's terms (`args.xml` is the whole definition). */
function fieldOf(f: ClientError): string | undefined {
  if (!('field' in f) || f.field === undefined) return f.code === 'BRIDGE_TAKEN' ? 'bridge.name' : undefined
  return f.field.startsWith('args.') ? undefined : f.field
}

export function helperError(f: ClientError, rolledBack: string[] = []): ServiceError {
  const code = CODE[f.code] ?? 'HELPER_FAILED'
  // An invalid definition's message already ends with its first problem's fix: not said twice.
  const fix = f.fix && !f.message.includes(f.fix) ? `: ${f.fix}` : ''
  const rollbackProblems =
    'rollbackErrors' in f && f.rollbackErrors?.length ? ` (undoing it also failed: ${f.rollbackErrors.join('; ')})` : ''
  const field = fieldOf(f)
  return new ServiceError(code, `${f.message}${fix}${rollbackProblems}`, { ...(field ? { field } : {}), rolledBack })
}

export type ApplyProgress = EventPayload<'apply:progress'>

/**
 * Follows one helper run's step events: turns them into `apply:progress` payloads (with titles
 * carried over from `step-started`) and remembers which steps were rolled back.
 */
export class StepTracker {
  private readonly titles = new Map<string, string>()
  readonly rolledBack: string[] = []
  private readonly opId: string | null

  constructor(opId: string | null) {
    this.opId = opId
  }

  toProgress(e: StepEvent): ApplyProgress {
    const key = `${e.network}/${e.step}`
    if (e.type === 'step-started') this.titles.set(key, e.title)
    const title = this.titles.get(key) ?? e.step
    const p: ApplyProgress = { opId: this.opId, network: e.network, kind: e.type, stepId: e.step, title }
    if (e.type === 'step-failed') p.message = e.error
    if (e.type === 'rolled-back') {
      this.rolledBack.push(title)
      if (e.errors.length > 0) p.message = e.errors.join('; ')
    }
    return p
  }
}
