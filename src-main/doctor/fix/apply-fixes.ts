/**
 * Applying fixes and undoing them, over an injected runner (the real one runs allow-listed programs
 * by argv and the doctor's sysctl built-ins). A fix runs its commands in order; its record grows
 * after each one; if one fails, what ran is undone at once and nothing stays recorded. Undo runs
 * the recorded commands (checked against argv-shapes.ts first) and drops the record.
 */
import { undoFromEcho } from '../checks/nft-drop'
import type { DoctorAction, Finding, FixRecord } from '../model'
import { undoArgvProblem } from './argv-shapes'

export interface DoctorRunner {
  /** Runs one command; resolves with its stdout (and a note for a sysctl left alone), rejects on failure. */
  run(argv: readonly string[]): Promise<{ stdout: string; note?: string }>
}

export interface RecordStore {
  load(): FixRecord[]
  save(records: readonly FixRecord[]): void
}

const msg = (e: unknown): string => (e instanceof Error ? e.message : String(e))

async function runUndo(
  undo: readonly string[][],
  runner: DoctorRunner
): Promise<{ errors: string[]; notes: string[] }> {
  const errors: string[] = []
  const notes: string[] = []
  for (const argv of undo) {
    const problem = undoArgvProblem(argv)
    if (problem) {
      errors.push(`not run: ${argv.join(' ')}: ${problem}`)
      continue
    }
    try {
      const r = await runner.run(argv)
      if (r.note) notes.push(r.note)
    } catch (e) {
      errors.push(msg(e))
    }
  }
  return { errors, notes }
}

export async function applyFix(
  finding: Finding,
  runner: DoctorRunner,
  store: RecordStore,
  now: () => Date
): Promise<DoctorAction> {
  const fix = finding.fix
  if (!fix)
    return {
      kind: 'fix',
      id: finding.id,
      ok: false,
      message: `${finding.id} has no automatic fix${finding.advice ? `: ${finding.advice}` : ''}`,
      commands: [],
      errors: []
    }
  const record: FixRecord = {
    id: finding.id,
    check: finding.check,
    title: finding.title,
    appliedAt: now().toISOString(),
    commands: [],
    undo: []
  }
  const others = store.load()
  const save = (): void => store.save([...others, record])
  for (const cmd of fix.commands) {
    let stdout: string
    try {
      stdout = (await runner.run(cmd.argv)).stdout
    } catch (e) {
      const rolled = await runUndo(record.undo, runner)
      store.save(others)
      return {
        kind: 'fix',
        id: finding.id,
        ok: false,
        message: `the fix for ${finding.id} failed, and what it had done was undone: ${msg(e)}`,
        commands: [...record.commands, [...cmd.argv]],
        errors: [msg(e), ...rolled.errors]
      }
    }
    record.commands.push([...cmd.argv])
    const undo = cmd.undoFromEcho ? undoFromEcho(stdout) : cmd.undo
    if (undo) record.undo.unshift([...undo])
    save()
  }
  return {
    kind: 'fix',
    id: finding.id,
    ok: true,
    message: `fixed: ${fix.summary}`,
    commands: record.commands,
    errors: []
  }
}

export async function undoFixes(
  selected: readonly FixRecord[],
  runner: DoctorRunner,
  store: RecordStore
): Promise<DoctorAction[]> {
  const actions: DoctorAction[] = []
  // Last applied first: a later fix may build on an earlier one.
  for (const rec of [...selected].reverse()) {
    const { errors, notes } = await runUndo(rec.undo, runner)
    store.save(store.load().filter((r) => !(r.id === rec.id && r.appliedAt === rec.appliedAt)))
    actions.push({
      kind: 'undo',
      id: rec.id,
      ok: errors.length === 0,
      message:
        errors.length === 0
          ? `undone: ${rec.title}${notes.length ? ` (${notes.join('; ')})` : ''}`
          : `undone in part: ${rec.title}`,
      commands: rec.undo,
      errors
    })
  }
  return actions
}
