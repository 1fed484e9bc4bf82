/**
 * Everything this suite changes outside its namespaces (a bus or polkitd it started, installed files, the
 * test user, the rules file, the mount namespace) registers how to undo it here. `undoAll()` runs the
 * steps last first, from afterAll and, as a backstop, from a process 'exit' hook and SIGINT/SIGTERM/SIGHUP
 * handlers. Steps are synchronous and each runs once; a failing step does not stop the others.
 */

interface UndoStep {
  label: string
  run(): void
}

const steps: UndoStep[] = []
const failures: string[] = []
let hooked = false

function hookExit(): void {
  if (hooked) return
  hooked = true
  process.once('exit', () => undoAll())
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      undoAll()
      process.kill(process.pid, signal)
    })
  }
}

/** Registers how to undo something just done. */
export function onUndo(label: string, run: () => void): void {
  hookExit()
  steps.push({ label, run })
}

/** Runs every registered step, last first; returns the ones that failed (also kept for `undoFailures`). */
export function undoAll(): string[] {
  const failed: string[] = []
  while (steps.length > 0) {
    const step = steps.pop() as UndoStep
    try {
      step.run()
    } catch (error) {
      failed.push(`${step.label}: ${(error as Error).message}`)
    }
  }
  failures.push(...failed)
  return failed
}

/** Every undo step that failed so far in this process. */
export function undoFailures(): readonly string[] {
  return failures
}
