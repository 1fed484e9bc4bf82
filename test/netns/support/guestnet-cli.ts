/** Runs the built guestnet CLI against a private root, inside one of our namespaces (`--netns`). */
import { execFile } from 'node:child_process'

import { isOurs } from './cleanup'
import { GUESTNET_BIN } from './requirements'

export interface GuestnetRun {
  code: number
  stdout: string
  stderr: string
  ms: number
  /** The command, for failure messages. */
  command: string
}

export interface GuestnetInvocation {
  root: string
  netns: string
  args: readonly string[]
  timeoutMs?: number
  /** Extra environment (e.g. GUESTNET_HELPER_FAULT). */
  env?: Record<string, string>
  /** A command prefix it runs under (`nsenter --mount=FILE --`: a test's own mount namespace). */
  wrap?: readonly string[]
}

/** The environment without NODE_EXTRA_CA_CERTS, which only slows every node start here. */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra }
  delete env.NODE_EXTRA_CA_CERTS
  return env
}

export function runGuestnet(inv: GuestnetInvocation): Promise<GuestnetRun> {
  if (!isOurs(inv.netns)) throw new Error(`refusing to run guestnet outside our namespaces (--netns ${inv.netns})`)
  const argv = [GUESTNET_BIN, '--root', inv.root, '--netns', inv.netns, ...inv.args]
  const command = `guestnet ${argv.slice(1).join(' ')}`
  const started = performance.now()
  return new Promise((resolve) => {
    const [cmd, ...rest] = [...(inv.wrap ?? []), process.execPath, ...argv]
    execFile(
      cmd,
      rest,
      { timeout: inv.timeoutMs ?? 30_000, env: cliEnv(inv.env), maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
        resolve({ code, stdout: String(stdout), stderr: String(stderr), ms: performance.now() - started, command })
      }
    )
  })
}

/** Throws with the command's output unless it exited 0. */
export function expectOk(run: GuestnetRun): GuestnetRun {
  if (run.code !== 0) throw new Error(`${run.command} exited ${run.code}\n${run.stderr}${run.stdout}`)
  return run
}
