/**
 * Leftovers of a run of this suite that died without cleaning up (SIGKILL, a crash): everything it made
 * carries its PID (the install's owner marker, the rules file, the user, the temp dir with the mount
 * namespace and the daemons it started), so a later run removes what belongs to a PID that no longer runs, and nothing else.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { alive, runSync } from './exec'
import {
  HELPER_DIR,
  OPT_DIR,
  OWNER_MARKER,
  POLICY_FILE,
  RULES_DIR,
  TEMP_PREFIX,
  USER_COMMENT,
  USER_PREFIX
} from './paths'
import { recordedDaemons } from './run-dir'
import { stopPid } from './system-bus'

function deadRun(pidText: string | undefined): boolean {
  const pid = Number(pidText)
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)
}

function sweepInstall(removed: string[]): void {
  if (!existsSync(OWNER_MARKER)) return
  if (!deadRun(readFileSync(OWNER_MARKER, 'utf8').trim())) return
  for (const path of [POLICY_FILE, HELPER_DIR, OPT_DIR]) {
    if (existsSync(path)) {
      rmSync(path, { recursive: true, force: true })
      removed.push(path)
    }
  }
}

function sweepRules(removed: string[]): void {
  if (!existsSync(RULES_DIR)) return
  for (const entry of readdirSync(RULES_DIR)) {
    const m = /^49-guestnet-test-(\d+)\.rules(\.tmp)?$/.exec(entry)
    if (m && deadRun(m[1])) {
      rmSync(join(RULES_DIR, entry), { force: true })
      removed.push(join(RULES_DIR, entry))
    }
  }
}

function sweepUsers(removed: string[]): void {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , , , comment] = line.split(':')
    const m = new RegExp(`^${USER_PREFIX}(\\d+)$`).exec(name ?? '')
    if (m && comment === USER_COMMENT && deadRun(m[1])) {
      runSync(['userdel', name], { allowFail: true })
      removed.push(`user ${name}`)
    }
  }
}

function sweepTempDirs(removed: string[]): void {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
  for (const entry of readdirSync(tmpdir())) {
    const m = new RegExp(`^${TEMP_PREFIX}(\\d+)-`).exec(entry)
    if (!m || !deadRun(m[1])) continue
    const dir = join(tmpdir(), entry)
    for (const pid of recordedDaemons(dir)) {
      stopPid(pid)
      removed.push(`daemon ${pid}`)
    }
    // The mount namespace's file first, then a private bind of the dir itself (deepest first).
    for (const mount of mounts.filter((p) => p?.startsWith(`${dir}/`) || p === dir).reverse()) {
      runSync(['umount', mount], { allowFail: true })
    }
    rmSync(dir, { recursive: true, force: true })
    removed.push(dir)
  }
}

/** Removes what dead runs of this suite left; returns what it removed. */
export function sweepDeadRuns(): string[] {
  const removed: string[] = []
  sweepInstall(removed)
  sweepRules(removed)
  sweepUsers(removed)
  sweepTempDirs(removed)
  if (removed.length > 0) console.warn(`pkexec tests: removed leftovers of a dead run: ${removed.join(', ')}`)
  return removed
}
