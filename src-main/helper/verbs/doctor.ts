/**
 * doctor: finds what keeps guest networks from working (other firewalls, forwarding, ports, libvirt,
 * br_netfilter, accept_ra, programs) and, as root, applies or undoes the narrow fixes it offers
 * (`fix` / `undo`: `all`, a check id or a finding id). The diagnosis reads only and runs without
 * root (with less detail); a fix or undo needs root and takes the helper's lock. The commands are
 * the doctor's own (src-main/doctor), never the request's.
 */
import type { HelperValue } from '../../contract/helper-protocol'
import { existsSync } from 'node:fs'

import { selectorProblem } from '../../doctor/diagnose'
import { readFixRecords, writeFixRecords } from '../../doctor/fix/fix-records'
import { doctorRunner } from '../ops/doctor-runner'
import { observe } from '../../doctor/observe/observe'
import { runDoctor } from '../../doctor/run-doctor'
import { HelperError } from '../../contract/helper-protocol'
import { CommandError, execProgram } from '../run/exec-program'
import { resolveProgram } from '../run/programs'
import { readTextNoFollow } from '../../store/safe-fs'
import type { VerbContext } from './context'

function findProgram(name: string): string | null {
  try {
    return resolveProgram(name)
  } catch {
    return null
  }
}

async function exec(argv: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  try {
    const r = await execProgram([...argv], { timeoutMs: 10_000 })
    return { code: 0, ...r }
  } catch (e) {
    if (e instanceof CommandError) return { code: e.exitCode, stdout: '', stderr: e.stderr || e.message }
    return { code: null, stdout: '', stderr: e instanceof Error ? e.message : String(e) }
  }
}

function readFile(path: string): string | null {
  try {
    return readTextNoFollow(path)
  } catch {
    return null
  }
}

export async function run(ctx: VerbContext<'doctor'>): Promise<HelperValue<'doctor'>> {
  const { fix, undo, netns, root } = ctx.args
  if (fix !== undefined && undo !== undefined)
    throw new HelperError('BAD_REQUEST', 'give either fix or undo, not both', { field: 'args.undo' })
  for (const [field, value] of [
    ['args.fix', fix],
    ['args.undo', undo]
  ] as const) {
    const problem = value === undefined ? null : selectorProblem(value)
    if (problem)
      throw new HelperError('BAD_REQUEST', problem, { field, fix: "'guestnet doctor --json' lists the finding ids" })
  }
  // A fix or undo is not read-only: run-request.ts checked the caller and holds the lock.
  const uid = process.getuid?.() ?? 0
  const { paths } = ctx.deps
  const runtimeDir = paths.plan.runtimeDir
  return runDoctor(
    { ...(fix !== undefined ? { fix } : {}), ...(undo !== undefined ? { undo } : {}) },
    {
      observe: () =>
        observe({
          netns: netns ?? null,
          uid,
          runtimeDir,
          listNetworks: async () => (await ctx.store()).list(),
          isRunning: (name) => existsSync(paths.journal(name)),
          exec,
          findProgram,
          readFile,
          hostFile: (path) => readFile(root === undefined ? path : `${root}${path}`)
        }),
      runner: doctorRunner(ctx.deps),
      records: { load: () => readFixRecords(runtimeDir), save: (r) => writeFixRecords(runtimeDir, r) },
      now: () => ctx.deps.now()
    }
  )
}
