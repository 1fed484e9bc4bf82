/**
 * Fault injection for the namespace tests: `GUESTNET_HELPER_FAULT` makes a start fail or crash at
 * a chosen step, so every rollback path and every crash point can be exercised for real.
 *   fail:STEP          the step's commands run, then the step counts as failed (rollback follows)
 *   crash-after:STEP   SIGKILL the helper itself right after STEP (reconcile must clean up)
 * It can only make the helper fail, never do more, so honouring it is safe; pkexec and sudo
 * clear the environment anyway.
 */
export const FAULT_ENV = 'GUESTNET_HELPER_FAULT'

export type Fault = { kind: 'fail' | 'crash-after'; step: string }

export function parseFault(value: string | undefined): Fault | null {
  const m = /^(fail|crash-after):([A-Za-z0-9_-]+)$/.exec(value ?? '')
  return m ? { kind: m[1] as Fault['kind'], step: m[2] } : null
}

export function faultHook(fault: Fault | null): ((step: string) => void) | undefined {
  if (!fault) return undefined
  return (step) => {
    if (step !== fault.step) return
    if (fault.kind === 'crash-after') process.kill(process.pid, 'SIGKILL')
    throw new Error(`fault injected at step ${step} (${FAULT_ENV}=fail:${step})`)
  }
}
