/**
 * guestnet-helper: the privileged helper. One JSON request on stdin, newline-delimited JSON events
 * on stdout, then exit with a named code (contract/helper-protocol.ts HELPER_EXIT). With `--serve` it
 * stays and takes requests on a root-only unix socket instead (service/serve.ts). See README.md
 * beside this file and docs/security.md for who may ask for what.
 */
import type { HelperErrorBody, HelperRequest, StepEvent } from '../contract/helper-protocol'
import { exitCodeFor, HELPER_EXIT, HelperError, isReadOnly, partialFailure } from '../contract/helper-protocol'
import { terminalSafe } from '../core/text/terminal-safe'
import { printMarks } from '../diagnostics/timing'
import type { Caller } from './caller'
import { callerOfProcess, isTrusted, TEST_SWITCHES } from './caller'
import type { ReexecHandle } from './netns'
import { decideNetns, NETNS_CHILD_ENV, readNsIdentities, reexecInNetns } from './netns'
import { parseRequest, tooLargeError } from './parse-request'
import { checkNetworkName } from './policy'
import { readRequest } from './read-request'
import { runRequest } from './run-request'
import { wakeService } from './service/wake'
import { KEPT_ENV, SAFE_ENV } from './run/safe-env'
import { parseServeArgs } from './service/serve-args'
import { resolveTestRoot } from './test-root'

// Read before the environment is cleared below: systemd's socket activation pair, pkexec's caller,
// and which test switches a caller set (honoured for root callers only: caller.ts).
const activation = { pid: process.env.LISTEN_PID, fds: process.env.LISTEN_FDS }
const pkexecUid = process.env.PKEXEC_UID
const switches = TEST_SWITCHES.filter((k) => process.env[k] !== undefined)
const isChild = process.env[NETNS_CHILD_ENV] === '1'
/** Started as guestnet-inspect (the read-only polkit action): anything but a read is refused. */
const readOnlyDoor = process.argv.slice(2).includes('--read-only')
const rootCaller = pkexecUid === undefined && (process.getuid?.() ?? 0) === 0
for (const key of Object.keys(process.env)) {
  const kept =
    (KEPT_ENV as readonly string[]).includes(key) && (rootCaller || !(TEST_SWITCHES as readonly string[]).includes(key))
  if (!kept) delete process.env[key]
}
Object.assign(process.env, SAFE_ENV)
process.umask(0o022)

process.stdout.on('error', () => undefined) // the caller went away: finish (or roll back) all the same

function send(event: StepEvent | { type: 'result'; ok: boolean; value?: unknown; error?: HelperErrorBody }): void {
  process.stdout.write(`${terminalSafe(JSON.stringify(event))}\n`)
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

/** The same request for the helper started inside the namespace, with the root already resolved. */
function forChild(request: HelperRequest): HelperRequest {
  const root = (request.args as { root?: string }).root
  return root === undefined
    ? request
    : ({ ...request, args: { ...request.args, root: resolveTestRoot(root) } } as HelperRequest)
}

async function main(): Promise<void> {
  const read = await readRequest(process.stdin)
  process.stdin.destroy()
  if (read.kind === 'eof') {
    return fail({ code: 'NO_REQUEST', message: 'stdin closed before a request arrived: nothing to do' })
  }
  let request: HelperRequest
  let caller: Caller
  try {
    if (read.kind === 'too-large') throw tooLargeError()
    caller = callerOfProcess(process.getuid?.() ?? 0, pkexecUid)
    request = parseRequest(read.text, checkNetworkName)
  } catch (e) {
    if (e instanceof HelperError) return fail(e.toBody())
    throw e
  }
  phase = 'running'
  if (readOnlyDoor && !isReadOnly(request)) {
    return fail({
      code: 'NOT_AUTHORISED',
      message: `'${request.verb}' changes the system: this helper (the read-only polkit action org.guestnet.helper.inspect) only reads`,
      fix: 'ask through the changing action (/usr/lib/guestnet/guestnet-helper)'
    })
  }
  const netns = (request.args as { netns?: string }).netns
  if (netns !== undefined && isTrusted(caller)) {
    const decision = decideNetns(netns, readNsIdentities(netns), isChild)
    if (decision.action === 'refuse') {
      return fail({
        code: 'NETNS',
        message: decision.message,
        field: 'args.netns',
        ...(decision.fix ? { fix: decision.fix } : {})
      })
    }
    if (decision.action === 'reexec') {
      let line: string
      try {
        line = JSON.stringify(forChild(request))
      } catch (e) {
        if (e instanceof HelperError) return fail(e.toBody())
        throw e
      }
      child = reexecInNetns({
        netns,
        helperScript: process.argv[1],
        requestLine: line,
        onStdout: (chunk) => process.stdout.write(chunk)
      })
      return exit(await child.done)
    }
  }
  const result = await runRequest(request, { caller, switches, emit: send, shouldStop: () => stopRequested })
  if (result.ok) {
    send({ type: 'result', ok: true, value: result.value })
    // The network now runs: the warm service's guardian should keep it (socket activation starts it).
    await wakeService(request)
    exit(partialFailure(result.value) ? HELPER_EXIT.failed : HELPER_EXIT.ok)
  } else {
    fail(result.error)
  }
}

const serveArgs = parseServeArgs(
  process.argv.slice(2).filter((a) => a !== '--read-only'),
  activation
)
if (serveArgs === null) {
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, onSignal)
  main().catch((e: unknown) => {
    fail({ code: 'INTERNAL', message: `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` })
  })
} else if ('error' in serveArgs) {
  process.stderr.write(`guestnet-helper: ${serveArgs.error}\n`)
  process.exitCode = HELPER_EXIT.invalid
} else if (readOnlyDoor || pkexecUid !== undefined || (process.getuid?.() ?? 0) !== 0) {
  process.stderr.write('guestnet-helper: --serve is for root (systemd starts it); not through pkexec\n')
  process.exitCode = HELPER_EXIT.environment
} else {
  process.stdin.destroy()
  void import('./service/serve').then(async ({ serve }) => {
    const code = await serve({ ...serveArgs, log: (line) => process.stderr.write(`${terminalSafe(line)}\n`) })
    process.exit(code)
  })
}
