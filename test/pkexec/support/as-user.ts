/**
 * Commands as someone else inside the test's namespaces: the test's mount namespace (the private store),
 * its host network namespace (`ip netns exec HOST`, checked by the sandbox's guard), and an unprivileged
 * identity by `setpriv`. This is where the desktop app would run; attack cases plant files from here
 * (e.g. `{ uid: 65534, gid: 65534 }` for nobody).
 */
import { execFile } from 'node:child_process'

import { guardArgv } from '../../../src-main/sandbox/ns-exec'
import type { NamespaceOwner } from '../../../src-main/sandbox/ns-guard'
import type { MountNamespace } from './mount-ns'
import { PLAIN_ENV } from './exec'
import type { TestUser } from './test-user'

export interface ElevationTarget {
  mountNs: MountNamespace
  /** The host network namespace (ours): where the app, pkexec and the helper run. */
  host: string
  isOurs: NamespaceOwner
  user: TestUser
}

/** An identity for setpriv: the test user (with its groups), or any uid/gid without groups. */
export type Identity = TestUser | { uid: number; gid: number }

export interface CommandResult {
  code: number | null
  stdout: string
  stderr: string
}

/** `nsenter --mount=F -- ip netns exec HOST …argv`, guarded: HOST must be one of ours. */
export function inTestNamespaces(t: ElevationTarget, argv: readonly string[]): string[] {
  const inner = ['ip', 'netns', 'exec', t.host, ...argv]
  guardArgv(inner, t.isOurs)
  return t.mountNs.enter(inner)
}

/** The same, as `who` (default: the test user): `… setpriv --reuid --regid --init-groups|--clear-groups -- argv`. */
export function asUserArgv(t: ElevationTarget, argv: readonly string[], who: Identity = t.user): string[] {
  const groups = 'name' in who ? '--init-groups' : '--clear-groups'
  return inTestNamespaces(t, ['setpriv', `--reuid=${who.uid}`, `--regid=${who.gid}`, groups, '--', ...argv])
}

function run(argv: readonly string[], opts: { input?: string; timeoutMs?: number }): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(
      argv[0],
      argv.slice(1),
      { env: PLAIN_ENV, cwd: '/', timeout: opts.timeoutMs ?? 20_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: unknown }) | null
        const code = failure ? (typeof failure.code === 'number' ? failure.code : null) : 0
        resolve({
          code,
          stdout: String(stdout),
          stderr: String(stderr) || (failure && code === null ? failure.message : '')
        })
      }
    )
    child.stdin?.end(opts.input ?? '')
  })
}

/** Runs a command as `who` (default the test user) in the test's mount and host namespaces. */
export function runAsUser(
  t: ElevationTarget,
  argv: readonly string[],
  opts: { who?: Identity; input?: string; timeoutMs?: number } = {}
): Promise<CommandResult> {
  return run(asUserArgv(t, argv, opts.who), opts)
}

/** Runs a command as root in the test's mount and host namespaces (to look at the private store). */
export function runInTestNamespaces(t: ElevationTarget, argv: readonly string[]): Promise<CommandResult> {
  return run(inTestNamespaces(t, argv), {})
}
