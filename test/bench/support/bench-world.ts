/**
 * The namespaces netns.bench.ts measures in: a "host" (guestnet runs there, `ip netns exec HOST`, so the
 * CLI acts in-process without re-executing itself) with an uplink veth to an "internet" namespace on
 * documentation addresses, and a private guestnet root. Nothing is linked to the machine's own
 * namespace; every command goes through the namespace guard, and everything is registered with the
 * namespace tests' cleanup (removed at the end, on a signal, or by the next run's sweep).
 */
import type { ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, rmSync, statfsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { writeUdhcpcScript } from '../../../src-main/sandbox/dhcp-client'
import type { NsExec } from '../../../src-main/sandbox/ns-exec'
import { createNsExec } from '../../../src-main/sandbox/ns-exec'
import { addNamespace, connectUplink, writeNsResolvConf } from '../../../src-main/sandbox/topology'
import {
  disposeAll,
  isOurs,
  PREFIX,
  sweepLeftovers,
  trackChild,
  trackNamespace,
  trackPath
} from '../../netns/support/cleanup'
import { findProgram } from '../../netns/support/requirements'

export const INET4 = '203.0.113.1'
export const INET6 = '2001:db8::1'

export interface BenchWorld {
  x: NsExec
  dir: string
  /** guestnet's `--root`. */
  root: string
  host: string
  inet: string
  /** The udhcpc event script. */
  udhcpcScript: string
  newNamespace(role: string): Promise<string>
  /** A guarded long-running command, killed at dispose. */
  spawn(argv: readonly string[]): ChildProcess
  dispose(): Promise<void>
}

/**
 * The built CLI, relative to the repository (`npm run bench` runs from there and builds first);
 * GUESTNET_BENCH_REPO measures another built checkout instead (an older commit, for before/after).
 */
const REPO = process.env.GUESTNET_BENCH_REPO ?? process.cwd()
export const GUESTNET_BIN = join(REPO, 'bin', 'guestnet')
const CLI_JS = join(REPO, 'out', 'main', 'cli.js')
export const HELPER_JS = join(REPO, 'out', 'main', 'helper.js')

/** Why the benchmark cannot run here, or null. */
export function benchSkipReason(): string | null {
  if (process.platform !== 'linux') return 'needs Linux network namespaces'
  if (process.getuid?.() !== 0) return 'needs root (network namespaces, bridges, nftables)'
  const missing = ['ip', 'nft', 'dnsmasq', 'busybox', 'bash'].filter((p) => !findProgram(p))
  if (missing.length > 0) return `missing programs: ${missing.join(', ')}`
  if (!existsSync(CLI_JS)) return `the CLI is not built (${CLI_JS}); run npm run build`
  return null
}

let counter = 0

/** /dev/shm when it is a tmpfs (like /run), else null. Our leftovers there from dead runs are swept. */
function runtimeLikeDir(): string | null {
  try {
    if (statfsSync('/dev/shm').type !== TMPFS_MAGIC) return null
  } catch {
    return null
  }
  for (const entry of readdirSync('/dev/shm')) {
    const m = /^gnt-(\d+)-root-/.exec(entry)
    if (m && Number(m[1]) !== process.pid && !pidAlive(Number(m[1])))
      rmSync(join('/dev/shm', entry), { recursive: true, force: true })
  }
  return '/dev/shm'
}

const TMPFS_MAGIC = 0x01021994

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export async function createBenchWorld(): Promise<BenchWorld> {
  sweepLeftovers()
  try {
    return await buildWorld()
  } catch (error) {
    await disposeAll()
    throw error
  }
}

async function buildWorld(): Promise<BenchWorld> {
  const x = createNsExec(isOurs)
  const dir = await mkdtemp(join(tmpdir(), PREFIX))
  trackPath(dir)
  // guestnet's runtime directory is /run/guestnet, a tmpfs on every systemd system: measure on one.
  const shm = runtimeLikeDir()
  const root = shm ? await mkdtemp(join(shm, `${PREFIX}root-`)) : join(dir, 'root')
  if (shm) trackPath(root)
  else await mkdir(root, { mode: 0o755 })
  await chmod(root, 0o755)
  const udhcpcScript = join(dir, 'udhcpc.sh')
  await writeUdhcpcScript(udhcpcScript)
  const newNamespace = async (role: string): Promise<string> => {
    const name = `${PREFIX}${++counter}${role}`
    trackNamespace(name)
    await addNamespace(x, name)
    return name
  }
  const host = await newNamespace('h')
  const inet = await newNamespace('i')
  await connectUplink(x, {
    hostNs: host,
    inetNs: inet,
    hostIf: 'uplink0',
    inetIf: 'wan0',
    inet4: `${INET4}/24`,
    host4: '203.0.113.2/24',
    inet6: `${INET6}/64`,
    host6: '2001:db8::2/64'
  })
  // dnsmasq's upstream is the internet namespace (where nothing answers), never the machine's resolver.
  await writeNsResolvConf(host, [INET4])
  return {
    x,
    dir,
    root,
    host,
    inet,
    udhcpcScript,
    newNamespace,
    spawn: (argv) => trackChild(x.spawn(argv, { stdio: ['ignore', 'pipe', 'pipe'] })),
    dispose: disposeAll
  }
}

export interface TimedRun {
  /** From just before the spawn to the process's exit. */
  ms: number
  code: number | null
  stdout: string
  stderr: string
}

/** The environment every timed program gets: the bench's own, without NODE_EXTRA_CA_CERTS. */
export function benchEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra }
  delete env.NODE_EXTRA_CA_CERTS
  return env
}

/** Runs a guarded argv and times it from spawn to exit (not to the close of its pipes). */
export function timedRun(
  x: NsExec,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000
): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = trackChild(x.spawn(argv, { stdio: ['ignore', 'pipe', 'pipe'], env }))
    let ms = 0
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.once('exit', () => {
      ms = performance.now() - started
    })
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ ms, code, stdout, stderr })
    })
  })
}

/**
 * Times `argv` inside `ns` from a shell there, as a user's shell would run it: the clock is read by
 * that small process around its own fork and exec, not by this (large) node process, whose own
 * fork would otherwise be counted too. The arguments are the shell's positional parameters, never
 * parsed as shell text.
 */
export async function timedInNs(
  w: BenchWorld,
  ns: string,
  argv: readonly string[],
  env: NodeJS.ProcessEnv
): Promise<TimedRun> {
  const script = 'a=$EPOCHREALTIME; "$@"; rc=$?; b=$EPOCHREALTIME; echo "GN_BENCH_TIME $a $b" >&2; exit $rc'
  const run = await timedRun(w.x, ['ip', 'netns', 'exec', ns, 'bash', '-c', script, 'bench', ...argv], env)
  const m = /GN_BENCH_TIME ([\d.]+) ([\d.]+)/.exec(run.stderr)
  if (!m) throw new Error(`no timing from the shell in ${ns} for ${argv.join(' ')}: ${run.stderr.trim()}`)
  return { ...run, ms: (Number(m[2]) - Number(m[1])) * 1000, stderr: run.stderr.replace(/GN_BENCH_TIME .*\n?/, '') }
}

/** `node bin/guestnet --root ROOT …args` in the host namespace: the CLI as root, acting in-process. */
export async function guestnet(
  w: BenchWorld,
  args: readonly string[],
  extraEnv: Record<string, string> = {}
): Promise<TimedRun> {
  const run = await timedInNs(
    w,
    w.host,
    [process.execPath, GUESTNET_BIN, '--root', w.root, ...args],
    benchEnv(extraEnv)
  )
  if (run.code !== 0)
    throw new Error(`guestnet ${args.join(' ')} exited ${String(run.code)}: ${run.stderr.trim() || run.stdout.trim()}`)
  return run
}
