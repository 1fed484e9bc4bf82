/**
 * This run's own temp dir, `gnpk-<pid>-XXXXXX`: it holds the mount namespace's file and the record of the
 * daemons this run started (PID and start time), so a later run can stop them if this one dies first.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { alive, procStat } from './exec'
import { TEMP_PREFIX } from './paths'
import { onUndo } from './undo'

const DAEMONS = 'daemons'
let dir: string | null = null

export function runDir(): string {
  if (dir === null) {
    const made = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${process.pid}-`))
    onUndo(`remove ${made}`, () => {
      rmSync(made, { recursive: true, force: true })
      dir = null
    })
    dir = made
  }
  return dir
}

/** Notes a daemon this run started (one line: pid and start time). */
export function recordDaemon(pid: number): void {
  const stat = procStat(pid)
  if (stat) appendFileSync(join(runDir(), DAEMONS), `${pid} ${stat.startTime}\n`)
}

/** The daemons a (dead) run's dir records that still run: the same PID with the same start time. */
export function recordedDaemons(runDirPath: string): number[] {
  let text: string
  try {
    text = readFileSync(join(runDirPath, DAEMONS), 'utf8')
  } catch {
    return []
  }
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([pid, start]) => pid && alive(Number(pid)) && procStat(Number(pid))?.startTime === start)
    .map(([pid]) => Number(pid))
}
