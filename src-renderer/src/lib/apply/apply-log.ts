/**
 * The per-step picture of one apply, folded from `apply:progress` events: which steps ran, which
 * one failed and which were rolled back afterwards. Events of other operations are ignored.
 */
import type { ApplyProgress } from '../api'

export type StepStatus = 'running' | 'done' | 'failed' | 'rolled-back'

export interface StepLine {
  network: string
  stepId: string
  title: string
  status: StepStatus
  /** The step failed (it may have been rolled back since). */
  failed?: boolean
  message?: string
}

export interface ApplyLog {
  opId: string
  steps: StepLine[]
}

export function emptyLog(opId: string): ApplyLog {
  return { opId, steps: [] }
}

const statusOf: Record<ApplyProgress['kind'], StepStatus> = {
  'step-started': 'running',
  'step-done': 'done',
  'step-failed': 'failed',
  'rolled-back': 'rolled-back'
}

export function foldProgress(log: ApplyLog, e: ApplyProgress): ApplyLog {
  if (e.opId !== log.opId) return log
  const status = statusOf[e.kind]
  const i = log.steps.findIndex((s) => s.stepId === e.stepId && s.network === e.network)
  const line: StepLine = {
    network: e.network,
    stepId: e.stepId,
    title: e.title || log.steps[i]?.title || e.stepId,
    status
  }
  const message = e.message ?? log.steps[i]?.message
  if (message !== undefined) line.message = message
  if (status === 'failed' || log.steps[i]?.failed) line.failed = true
  const steps = i < 0 ? [...log.steps, line] : log.steps.map((s, j) => (j === i ? line : s))
  return { ...log, steps }
}

/** Titles of the steps undone, for the failure summary. */
export function rolledBackTitles(log: ApplyLog): string[] {
  return log.steps.filter((s) => s.status === 'rolled-back').map((s) => s.title)
}

const statusWords: Record<StepStatus, string> = {
  running: 'running',
  done: 'done',
  failed: 'failed',
  'rolled-back': 'rolled back'
}

export function statusText(s: StepLine): string {
  return s.failed && s.status === 'rolled-back' ? 'failed, then rolled back' : statusWords[s.status]
}
