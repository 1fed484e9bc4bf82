/**
 * Applying fixes and undoing them, on the helper's one transaction engine (helper/apply-plan.ts):
 * a fix's commands are its steps, each rolled back by the undo derived from what it made
 * (fix-facts.ts), so a fix that fails half-way is undone at once and nothing stays recorded. Its
 * record holds the facts, and undo is derived from them again later, checked first, then run.
 */
import type { PlanStep } from '../../core/model/plan'
import type { CommandRunner } from '../../helper/apply-plan'
import { applyPlan, messageOf } from '../../helper/apply-plan'
import type { Argv, DoctorAction, Finding, FixRecord } from '../model'
import type { FixFact } from './fix-facts'
import { factOf, factProblem, undoOfFact } from './fix-facts'

export interface DoctorRunner {
  /** Runs one command (a program by argv, or a sysctl built-in for this fix); resolves with its stdout. */
  run(argv: Argv, fix: string): Promise<{ stdout: string }>
  /** Notes a built-in left (a sysctl left alone), collected for the report. */
  notes(): string[]
  /** The rules of an nft chain with their comments, by handle (to check a rule is the doctor's before deleting it). */
  ruleComments(family: string, table: string, chain: string): Promise<Map<number, string | null>>
}

export interface RecordStore {
  load(): FixRecord[]
  save(records: readonly FixRecord[]): void
}

const DOCTOR_COMMENT = 'guestnet-doctor'

/** Runs one fact's undo: nft rules only once each is seen to carry the doctor's comment. */
async function undoFact(f: FixFact, fix: string, runner: DoctorRunner): Promise<void> {
  const problem = factProblem(f)
  if (problem) throw new Error(`not undone: ${problem}`)
  if (f.kind === 'nft-rules') {
    const ours = []
    for (const r of f.rules) {
      const comments = await runner.ruleComments(r.family, r.table, r.chain)
      if (!comments.has(r.handle)) continue // gone already (the program that owns the table reloaded it)
      if (comments.get(r.handle) !== DOCTOR_COMMENT)
        throw new Error(`rule ${r.handle} of ${r.table} ${r.chain} is not the doctor's: left alone`)
      ours.push(r)
    }
    if (ours.length === 0) return
    for (const argv of undoOfFact({ kind: 'nft-rules', rules: ours })) await runner.run(argv, fix)
    return
  }
  for (const argv of undoOfFact(f)) await runner.run(argv, fix)
}

export async function applyFix(
  finding: Finding,
  runner: DoctorRunner,
  store: RecordStore,
  now: () => Date
): Promise<DoctorAction> {
  const fix = finding.fix
  if (!fix) {
    return {
      kind: 'fix',
      id: finding.id,
      ok: false,
      message: `${finding.id} has no automatic fix${finding.advice ? `: ${finding.advice}` : ''}`,
      commands: [],
      errors: []
    }
  }
  const record: FixRecord = {
    id: finding.id,
    check: finding.check,
    title: finding.title,
    appliedAt: now().toISOString(),
    commands: [],
    facts: []
  }
  const others = store.load()
  const madeBy = new Map<string, FixFact>()
  const steps: PlanStep[] = fix.commands.map((cmd, i) => ({
    id: `${i + 1}`,
    title: cmd.argv.join(' '),
    apply: [[...cmd.argv]],
    rollback: [['@doctor-undo', `${i + 1}`]]
  }))
  const engine: CommandRunner = {
    async run(argv) {
      if (argv[0] === '@doctor-undo') {
        const made = madeBy.get(argv[1])
        if (made) await undoFact(made, finding.id, runner)
        return
      }
      const i = steps.findIndex((s) => s.apply[0] === argv)
      const { stdout } = await runner.run(argv, finding.id)
      const cmd = fix.commands[i]
      const fact = cmd ? factOf(cmd, stdout) : null
      record.commands.push([...argv])
      if (fact) {
        madeBy.set(steps[i].id, fact)
        record.facts.push(fact)
      }
      // Recorded after every command: a crash mid-fix leaves a record of what did happen.
      store.save([...others, record])
    }
  }
  const out = await applyPlan(steps, engine, { network: finding.id })
  if (out.ok)
    return {
      kind: 'fix',
      id: finding.id,
      ok: true,
      message: `fixed: ${fix.summary}`,
      commands: record.commands,
      errors: []
    }
  store.save(others)
  return {
    kind: 'fix',
    id: finding.id,
    ok: false,
    message: `the fix for ${finding.id} failed, and what it had done was undone: ${messageOf(out.error)}`,
    commands: out.failedStep
      ? [...record.commands, [...fix.commands[Number(out.failedStep) - 1].argv]]
      : record.commands,
    errors: [messageOf(out.error), ...out.rollbackErrors]
  }
}

/** The undo commands of a record, last first (for the report: what undo will run). */
export function undoOfRecord(r: FixRecord): string[][] {
  return [...r.facts].reverse().flatMap((f) => undoOfFact(f).map((a) => [...a]))
}

export async function undoFixes(
  selected: readonly FixRecord[],
  runner: DoctorRunner,
  store: RecordStore
): Promise<DoctorAction[]> {
  const actions: DoctorAction[] = []
  // Last applied first: a later fix may build on an earlier one.
  for (const rec of [...selected].reverse()) {
    const errors: string[] = []
    for (const f of [...rec.facts].reverse()) {
      try {
        await undoFact(f, rec.id, runner)
      } catch (e) {
        errors.push(messageOf(e))
      }
    }
    const notes = runner.notes()
    store.save(store.load().filter((r) => !(r.id === rec.id && r.appliedAt === rec.appliedAt)))
    actions.push({
      kind: 'undo',
      id: rec.id,
      ok: errors.length === 0,
      message:
        errors.length === 0
          ? `undone: ${rec.title}${notes.length ? ` (${notes.join('; ')})` : ''}`
          : `undone in part: ${rec.title}`,
      commands: undoOfRecord(rec),
      errors
    })
  }
  return actions
}
