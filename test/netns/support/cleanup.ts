/**
 * Everything a namespace test makes is registered here and removed afterwards, also when a test fails:
 * `disposeAll()` from afterAll, a synchronous process 'exit' hook as a backstop, and `sweepLeftovers()`
 * for namespaces of test processes that died without cleaning up (their names carry the dead PID).
 * Only processes this test process started (directly, or through guestnet inside its own namespaces)
 * are ended, always by PID.
 */
import type { ChildProcess } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { guardArgv } from '../../../src-main/sandbox/ns-exec'
import type { NamespaceOwner } from '../../../src-main/sandbox/ns-guard'
import { ownerByPrefix } from '../../../src-main/sandbox/ns-guard'

/** Every namespace and temp dir of this process starts with this. */
export const PREFIX = `gnt-${process.pid}-`
export const isOurs: NamespaceOwner = ownerByPrefix(PREFIX)

const namespaces = new Set<string>()
const children = new Set<ChildProcess>()
const paths = new Set<string>()
let hooked = false

function hookExit(): void {
  if (hooked) return
  hooked = true
  process.once('exit', () => disposeAllSync())
  // Interrupted (Ctrl-C, a runner's SIGTERM): clean up, then die of the same signal.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      disposeAllSync()
      process.kill(process.pid, signal)
    })
  }
}

export function trackNamespace(name: string): void {
  if (!isOurs(name)) throw new Error(`refusing to track namespace ${name}: not ours (${PREFIX}…)`)
  hookExit()
  namespaces.add(name)
}

export function untrackNamespace(name: string): void {
  namespaces.delete(name)
}

export function trackChild(child: ChildProcess): ChildProcess {
  hookExit()
  children.add(child)
  child.once('exit', () => children.delete(child))
  // A program that cannot start has no pid and never exits; the test sees that through its own waits.
  child.on('error', () => children.delete(child))
  return child
}

/** A file or directory (temp dir, /etc/netns/NS) to remove at the end. */
export function trackPath(path: string): void {
  hookExit()
  paths.add(path)
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function runSync(argv: string[], owner: NamespaceOwner): string {
  guardArgv(argv, owner)
  try {
    return execFileSync(argv[0], argv.slice(1), {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000
    })
  } catch {
    return ''
  }
}

function killSync(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

/** Kills what runs inside a namespace (ours only), then deletes it; its veths and bridges go with it. */
function removeNamespaceSync(ns: string, owner: NamespaceOwner): void {
  for (const word of runSync(['ip', 'netns', 'pids', ns], owner).split(/\s+/)) {
    if (/^\d+$/.test(word)) killSync(Number(word))
  }
  runSync(['ip', 'netns', 'del', ns], owner)
  rmSync(join('/etc/netns', ns), { recursive: true, force: true })
}

function disposeAllSync(): void {
  for (const child of children) if (child.pid) killSync(child.pid)
  children.clear()
  for (const ns of namespaces) removeNamespaceSync(ns, isOurs)
  namespaces.clear()
  for (const path of paths) rmSync(path, { recursive: true, force: true })
  paths.clear()
}

/** Ends the children we started (SIGTERM, then SIGKILL), deletes our namespaces and temp paths. */
export async function disposeAll(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve()
          const timer = setTimeout(() => {
            if (child.pid) killSync(child.pid)
          }, 1000)
          child.once('exit', () => {
            clearTimeout(timer)
            resolve()
          })
          child.kill('SIGTERM')
        })
    )
  )
  disposeAllSync()
}

/** Namespaces and temp dirs named `gnt-<pid>-…` whose process is dead: left by a crashed run. */
export function sweepLeftovers(): string[] {
  const deadOwner: NamespaceOwner = (name) => {
    const m = /^gnt-(\d+)-[A-Za-z0-9_.-]+$/.exec(name)
    return m !== null && Number(m[1]) !== process.pid && !alive(Number(m[1]))
  }
  const removed: string[] = []
  const listing = runSync(['ip', 'netns', 'list'], deadOwner)
  for (const ns of listing.split('\n').map((l) => l.trim().split(/\s+/)[0])) {
    if (ns && deadOwner(ns)) {
      removeNamespaceSync(ns, deadOwner)
      removed.push(ns)
    }
  }
  for (const entry of readdirSync(tmpdir())) {
    if (deadOwner(entry)) {
      rmSync(join(tmpdir(), entry), { recursive: true, force: true })
      removed.push(join(tmpdir(), entry))
    }
  }
  return removed
}
