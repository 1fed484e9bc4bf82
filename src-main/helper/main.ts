/**
 * guestnet-helper: the privileged helper. One JSON request on stdin, newline-delimited JSON events
 * on stdout, then exit with a named code (protocol.ts HELPER_EXIT). With `--serve` it stays and takes
 * requests on a root-only unix socket instead (service/serve.ts). See README.md beside this file.
 */
import { decideNetns, NETNS_CHILD_ENV, readNsIdentities, reexecInNetns } from './netns'
import type { ReexecHandle } from './netns'
import { parseRequest, tooLargeError } from './parse-request'
import { checkNetworkName } from './policy'
import type { HelperErrorBody, HelperEvent } from './protocol'
import { exitCodeFor, HELPER_EXIT, HelperError } from './protocol'
import { readRequest } from './read-request'
import { parseServeArgs } from './service/serve-args'
import { partialFailure, runRequest } from './run-request'
import { KEPT_ENV, SAFE_ENV } from './run/safe-env'
import { printMarks } from './timing'

// systemd's socket activation variables, read before the environment is cleared below.
const activation = { pid: process.env.LISTEN_PID, fds: process.env.LISTEN_FDS }
// Nothing from the caller's environment but the allow-list.
const isChild = process.env[NETNS_CHILD_ENV] === '1'
for (const key of Object.keys(process.env)) if (!(KEPT_ENV as readonly string[]).includes(key)) delete process.env[key]
Object.assign(process.env, SAFE_ENV)
process.umask(0o022)

process.stdout.on('error', () => undefined) // the caller went away: finish (or roll back) all the same

function send(event: HelperEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`)
}

function exit(code: number): void {
  printMarks()
  // Let stdout drain before leaving.
  process.stdout.write('', () => process.exit(code))
}

function fail(error: HelperErrorBody): void {
  send({ type: 'result', ok: false, error })
  exit(exitCodeFor(error.code))
}

let phase: 'reading' | 'running' = 'reading'
let stopRequested = false
let child: ReexecHandle | null = null

function onSignal(signal: NodeJS.Signals): void {
  if (child) {
    child.signal(signal)
    return
  }
  if (phase === 'reading') {
    fail({ code: 'INTERRUPTED', message: `${signal} before a request arrived: nothing was done` })
    return
  }
  // Running: finish the step in progress, then roll back (apply-plan checks before each step).
  stopRequested = true
}
async function main(): Promise<void> {
  const read = await readRequest(process.stdin)
  process.stdin.destroy()
  if (read.kind === 'eof')
    return fail({ code: 'NO_REQUEST', message: 'stdin closed before a request arrived: nothing to do' })
  let request
  try {
    if (read.kind === 'too-large') throw tooLargeError()
    request = parseRequest(read.text, checkNetworkName)
  } catch (e) {
    if (e instanceof HelperError) return fail(e.toBody())
    throw e
  }
  phase = 'running'
  const netns = request.args.netns
  const decision = decideNetns(netns, readNsIdentities(netns), isChild)
  if (decision.action === 'refuse')
    return fail({
      code: 'NETNS',
      message: decision.message,
      field: 'args.netns',
      ...(decision.fix ? { fix: decision.fix } : {})
    })
  if (decision.action === 'reexec' && netns !== undefined) {
    child = reexecInNetns({
      netns,
      helperScript: process.argv[1],
      requestLine: JSON.stringify(request),
      onStdout: (chunk) => process.stdout.write(chunk)
    })
    return exit(await child.done)
  }
  const result = await runRequest(request, { emit: send, shouldStop: () => stopRequested })
  if (result.ok) {
    send({ type: 'result', ok: true, value: result.value })
    exit(partialFailure(result.value) ? HELPER_EXIT.failed : HELPER_EXIT.ok)
  } else {
    fail(result.error)
  }
}

const serveArgs = parseServeArgs(process.argv.slice(2), activation)
if (serveArgs === null) {
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, onSignal)
  main().catch((e: unknown) => {
    fail({ code: 'INTERNAL', message: `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` })
  })
} else if ('error' in serveArgs) {
  process.stderr.write(`guestnet-helper: ${serveArgs.error}\n`)
  process.exitCode = HELPER_EXIT.invalid
} else {
  process.stdin.destroy()
  void import('./service/serve').then(async ({ serve }) => {
    const code = await serve({ ...serveArgs, log: (line) => process.stderr.write(`${line}\n`) })
    process.exit(code)
  })
}
