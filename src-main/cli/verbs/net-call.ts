/**
 * Shared by the online verbs (net-*, autostart-all, reconcile): call the helper with the global
 * options, turn its errors into messages and exit codes, and, for a normal user, print exactly
 * what to run instead.
 */
import { basename } from 'node:path'

import type { HelperRequest, HelperVerb, StepEvent } from '../../helper/protocol'
import { exitCodeFor, formatErrorBody, HELPER_EXIT } from '../../helper/protocol'
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

export function globalArgs(args: CliArgs): Pick<HelperRequest['args'], 'root' | 'netns'> {
  const out: Pick<HelperRequest['args'], 'root' | 'netns'> = {}
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
export function cliExit(code: Parameters<typeof exitCodeFor>[0]): number {
  const e = exitCodeFor(code)
  return e === HELPER_EXIT.invalid ? EXIT.invalid : e === HELPER_EXIT.environment ? EXIT.environment : EXIT.failed
}

export async function runOnline<T>(
  cliVerb: string,
  verb: HelperVerb,
  args: CliArgs,
  io: CliIo,
  verbArgs: Omit<HelperRequest['args'], 'root' | 'netns'> = {}
): Promise<OnlineResult<T>> {
  const verbose = args.flags.has('verbose')
  let stop = false
  const onSignal = (): void => {
    stop = true
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const { mark } = await import('../../helper/timing')
  mark('cli-loaded')
  const { sendRequest } = await import('../../helper/send-request')
  const result = await sendRequest(
    verb,
    { ...verbArgs, ...globalArgs(args) },
    { shouldStop: () => stop, onEvent: verbose ? (e: StepEvent) => io.err(formatStepEvent(e)) : undefined }
  ).finally(() => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  })
  const { printMarks } = await import('../../helper/timing')
  printMarks((line) => io.err(line))
  if (result.ok) return { ok: true, value: result.value as T }
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
