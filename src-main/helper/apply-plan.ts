/**
 * The transaction executor: run a plan's steps in order; at the first failure roll back the failed
 * step and every completed step in reverse, collect (never hide) rollback errors and report the
 * original error. The runner is injected, so tests drive it with a fake that fails at step N.
 */
import type { Argv, PlanStep, UndoStep } from '../core/model/plan'
import type { StepEvent } from '../contract/helper-protocol'
import { mark } from '../diagnostics/timing'

/** Runs one command (a program argv or an `@` built-in); rejects on failure. */
export interface CommandRunner {
  run(argv: Argv): Promise<void>
}

export interface ApplyOptions {
  network: string
  onEvent?: (event: StepEvent) => void
  /** Checked before each step: true stops the transaction (a signal came) and rolls back. */
  shouldStop?: () => boolean
  /** Called after a step's commands succeeded; throwing fails the step (fault injection in tests). */
  afterStep?: (step: string) => void
}

export type ApplyOutcome =
  | { ok: true; undo: UndoStep[] }
  | {
      ok: false
      /** The original error: the failed command's, or the interruption. */
      error: unknown
      failedStep: string | null
      interrupted: boolean
      /** `step: argv: message` for every rollback command that failed too. */
      rollbackErrors: string[]
      /**
       * True when undoing a step that had completed failed: something we made may be left. The
       * failed step's own undo failing is not that: it may never have made its piece (nft refusing
       * to load over someone else's table, say).
       */
      leftSomething: boolean
    }

export class InterruptedError extends Error {
  constructor() {
    super('interrupted by a signal before the next step: everything done so far was rolled back')
    this.name = 'InterruptedError'
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The undo list for steps applied in order: each step's rollback, the last step first. */
export function undoFor(steps: readonly PlanStep[]): UndoStep[] {
  return [...steps].reverse().map((s) => ({ step: s.id, title: s.title, commands: s.rollback.map((a) => [...a]) }))
}

async function undoStep(u: UndoStep, runner: CommandRunner): Promise<string[]> {
  const errors: string[] = []
  for (const argv of u.commands) {
    try {
      await runner.run(argv)
    } catch (e) {
      errors.push(`${u.step}: ${argv.join(' ')}: ${messageOf(e)}`)
    }
  }
  mark(`undo-${u.step}`)
  return errors
}

/**
 * Runs every command of every undo step, carrying on past failures; returns the failures as
 * `step: argv: message`, in undo order. Commands within a step always run in order. `concurrent`
 * runs the steps side by side (stop: every step only removes its own piece, and the slow ones,
 * `ip link del` waiting on the kernel and `nft` starting up, then overlap).
 */
export async function replayUndo(
  undo: readonly UndoStep[],
  runner: CommandRunner,
  network: string,
  onEvent?: (event: StepEvent) => void,
  opts: { concurrent?: boolean } = {}
): Promise<string[]> {
  const run = async (u: UndoStep): Promise<string[]> => {
    const errors = await undoStep(u, runner)
    onEvent?.({ type: 'rolled-back', network, step: u.step, errors })
    return errors
  }
  if (opts.concurrent) {
    // Launched in plan order, so the bridge's deletion (the kernel's slowest part) starts first and
    // the built-ins, which need no child process, come after the programs. Errors stay in undo order.
    const launched = [...undo].reverse().map(run)
    return (await Promise.all(launched.reverse())).flat()
  }
  const all: string[] = []
  for (const u of undo) all.push(...(await run(u)))
  return all
}

/**
 * What `step` (at `index` in the plan) waits for: the earlier steps its `after` names that are in the
 * plan (a need on a later step, or on one the plan lacks, is ignored), else every earlier step.
 */
export function prerequisites(steps: readonly PlanStep[], index: number): string[] {
  const step = steps[index]
  const earlier = steps.slice(0, index).map((s) => s.id)
  if (step.after === undefined) return earlier
  return step.after.filter((id) => earlier.includes(id))
}

type StepResult = { step: PlanStep; ok: true } | { step: PlanStep; ok: false; error: unknown }

export async function applyPlan(
  steps: readonly PlanStep[],
  runner: CommandRunner,
  opts: ApplyOptions
): Promise<ApplyOutcome> {
  const { network, onEvent } = opts
  const needs = steps.map((_, i) => prerequisites(steps, i))
  const finished = new Map<string, StepResult>()
  const running = new Map<string, Promise<StepResult>>()
  let interrupted = false

  const runStep = async (step: PlanStep): Promise<StepResult> => {
    onEvent?.({ type: 'step-started', network, step: step.id, title: step.title })
    try {
      for (const argv of step.apply) await runner.run(argv)
      opts.afterStep?.(step.id)
    } catch (error) {
      onEvent?.({ type: 'step-failed', network, step: step.id, error: messageOf(error) })
      return { step, ok: false, error }
    }
    mark(step.id)
    onEvent?.({ type: 'step-done', network, step: step.id })
    return { step, ok: true }
  }

  // Start every step whose needs are met, in plan order; stop starting at the first failure or signal.
  for (;;) {
    const failed = [...finished.values()].some((r) => !r.ok)
    if (!failed && !interrupted) {
      for (let i = 0; i < steps.length; i++) {
        const step = steps[i]
        if (finished.has(step.id) || running.has(step.id)) continue
        if (!needs[i].every((id) => finished.get(id)?.ok === true)) continue
        if (opts.shouldStop?.()) {
          interrupted = true
          break
        }
        running.set(step.id, runStep(step))
      }
    }
    if (running.size === 0) break
    const r = await Promise.race(running.values())
    running.delete(r.step.id)
    finished.set(r.step.id, r)
  }

  // Done steps in plan order, so their undo runs last-applied-first.
  const done = steps.filter((s) => finished.get(s.id)?.ok === true)
  const failedSteps = steps.flatMap((s) => {
    const r = finished.get(s.id)
    return r && !r.ok ? [r] : []
  })
  if (failedSteps.length > 0) {
    // A failed step may have half-happened (a bridge made, its address refused): undo it too.
    const ownErrors = await replayUndo(undoFor(failedSteps.map((f) => f.step)), runner, network, onEvent)
    const doneErrors = await replayUndo(undoFor(done), runner, network, onEvent)
    const first = failedSteps[0]
    return {
      ok: false,
      error: first.error,
      failedStep: first.step.id,
      interrupted: false,
      rollbackErrors: [...ownErrors, ...doneErrors],
      leftSomething: doneErrors.length > 0
    }
  }
  if (interrupted || done.length < steps.length) {
    const rollbackErrors = await replayUndo(undoFor(done), runner, network, onEvent)
    return {
      ok: false,
      error: new InterruptedError(),
      failedStep: null,
      interrupted: true,
      rollbackErrors,
      leftSomething: rollbackErrors.length > 0
    }
  }
  return { ok: true, undo: undoFor(done) }
}
