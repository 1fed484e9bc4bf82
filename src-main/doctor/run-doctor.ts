/**
 * One doctor run: observe, diagnose, then apply the selected fixes or undo the selected records,
 * and observe again so the report shows the state after. Everything from outside is injected.
 */
import { diagnose, selects } from './diagnose'
import type { DoctorRunner, RecordStore } from './fix/apply-fixes'
import { applyFix, undoFixes } from './fix/apply-fixes'
import type { DoctorAction, DoctorObservation, DoctorReport } from './model'
import { buildReport } from './report'

export interface DoctorRequest {
  fix?: string
  undo?: string
}

export interface DoctorDeps {
  observe(): Promise<DoctorObservation>
  runner: DoctorRunner
  records: RecordStore
  now(): Date
}

export async function runDoctor(req: DoctorRequest, deps: DoctorDeps): Promise<DoctorReport> {
  let obs = await deps.observe()
  let diag = diagnose(obs)
  const actions: DoctorAction[] = []
  if (req.undo !== undefined) {
    const selector = req.undo
    const chosen = deps.records.load().filter((r) => selects(selector, r))
    if (chosen.length === 0 && selector !== 'all') {
      actions.push({
        kind: 'undo',
        id: selector,
        ok: false,
        message: `no fix of ${selector} is recorded: nothing to undo`,
        commands: [],
        errors: []
      })
    }
    actions.push(...(await undoFixes(chosen, deps.runner, deps.records)))
  }
  if (req.fix !== undefined) {
    const selector = req.fix
    const chosen = diag.findings.filter((f) => selects(selector, f) && (selector !== 'all' || f.fix !== null))
    if (chosen.length === 0 && selector !== 'all') {
      actions.push({
        kind: 'fix',
        id: selector,
        ok: false,
        message: `nothing found for ${selector}: nothing to fix`,
        commands: [],
        errors: []
      })
    }
    for (const f of chosen) actions.push(await applyFix(f, deps.runner, deps.records, deps.now))
  }
  if (actions.some((a) => a.commands.length > 0)) {
    obs = await deps.observe()
    diag = diagnose(obs)
  }
  return buildReport(obs, diag, deps.records.load(), actions)
}
