/**
 * Shared by the online verbs (net-*, autostart-all, reconcile): call the helper with the global
 * options, turn its errors into messages and exit codes, and, for a normal user, print exactly
 * what to run instead.
 */
import { basename } from 'node:path'

import type {
  CommonArgs,
  HelperArgs,
  HelperValue,
  HelperVerb,
  RequestOf,
  StepEvent
} from '../../contract/helper-protocol'
import { exitCodeFor, HELPER_EXIT } from '../../contract/helper-protocol'
import type { ClientError } from '../../helper-client/client-result'
import type { CliArgs } from '../args'
import { UsageError } from '../args'
import type { CliIo } from '../verb'
import { EXIT } from '../verb'

/** Quotes an argument for a POSIX shell only when it needs it. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}

/** What a normal user should run instead: the same command under sudo, or pkexec with an absolute path. */
export function elevatedCommands(argv: readonly string[] = process.argv): string[] {
  const script = argv[1] ?? 'guestnet'
  const rest = argv.slice(2).map(shellQuote).join(' ')
  const viaBin = basename(script) !== 'cli.js'
  const sudo = viaBin ? `sudo guestnet ${rest}` : `sudo ${shellQuote(argv[0] ?? 'node')} ${shellQuote(script)} ${rest}`
  const pkexec = viaBin
    ? `pkexec ${shellQuote(script)} ${rest}`
    : `pkexec ${shellQuote(argv[0] ?? 'node')} ${shellQuote(script)} ${rest}`
  return [sudo, pkexec]
}

export function globalArgs(args: CliArgs): CommonArgs {
  const out: CommonArgs = {}
  const root = args.options.get('root')
  const netns = args.options.get('netns')
  if (root !== undefined) out.root = root
  if (netns !== undefined) out.netns = netns
  return out
}

export function oneName(args: CliArgs, cliVerb: string): string {
  if (args.positionals.length !== 1) throw new UsageError(`${cliVerb} takes exactly one network NAME`)
  return args.positionals[0]
}

export type OnlineResult<T> = { ok: true; value: T } | { ok: false; exit: number }

/** The CLI's exit code for a helper error code (0–3 are shared; interrupted and internal become 1). */
export function cliExit(code: ClientError['code']): number {
  if (code === 'CANCELLED' || code === 'NOT_AUTHORISED' || code === 'HELPER_FAILED')
    return code === 'HELPER_FAILED' ? EXIT.failed : EXIT.environment
  const e = exitCodeFor(code)
  return e === HELPER_EXIT.invalid ? EXIT.invalid : e === HELPER_EXIT.environment ? EXIT.environment : EXIT.failed
}

export async function runOnline<V extends HelperVerb>(
  cliVerb: string,
  verb: V,
  args: CliArgs,
  io: CliIo,
  verbArgs: Omit<HelperArgs<V>, keyof CommonArgs>
): Promise<OnlineResult<HelperValue<V>>> {
  const verbose = args.flags.has('verbose')
  let stop = false
  const onSignal = (): void => {
    stop = true
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const { mark } = await import('../../diagnostics/timing')
  mark('cli-loaded')
  const { sendRequest } = await import('../../helper-client/cli-transport')
  const req = { verb, args: { ...verbArgs, ...globalArgs(args) } } as unknown as RequestOf<V>
  const result = await sendRequest(req, {
    shouldStop: () => stop,
    onEvent: verbose ? (e: StepEvent) => io.err(formatStepEvent(e)) : undefined
  }).finally(() => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  })
  const { printMarks } = await import('../../diagnostics/timing')
  printMarks((line) => io.err(line))
  if (result.ok) return { ok: true, value: result.value }
  if (result.error.code === 'NOT_ROOT') {
    const [sudo, pkexec] = elevatedCommands()
    io.err(
      `guestnet ${cliVerb}: ${result.error.message}. Run instead:\n  ${sudo}\nor, from a desktop session:\n  ${pkexec}`
    )
    return { ok: false, exit: EXIT.environment }
  }
  io.err(`guestnet ${cliVerb}: ${formatErrorBody(result.error)}`)
  return { ok: false, exit: cliExit(result.error.code) }
}

/** An error as the CLI prints it: the message, the field at fault, the fix, what could not be undone. */
export function formatErrorBody(e: ClientError & { field?: string; rollbackErrors?: string[] }): string {
  const field = e.field ? ` [${e.field}]` : ''
  const fix = e.fix ? `\n  fix: ${e.fix}` : ''
  const rb = e.rollbackErrors?.length
    ? `\n  rollback problems:\n${e.rollbackErrors.map((r) => `    - ${r}`).join('\n')}`
    : ''
  return `${e.message}${field}${fix}${rb}`
}

export function formatStepEvent(e: StepEvent): string {
  switch (e.type) {
    case 'step-started':
      return `  ${e.step}: ${e.title}`
    case 'step-done':
      return `  ${e.step}: done`
    case 'step-failed':
      return `  ${e.step}: FAILED: ${e.error}`
    case 'rolled-back':
      return `  ${e.step}: undone${e.errors.length ? ` (with errors: ${e.errors.join('; ')})` : ''}`
  }
}
