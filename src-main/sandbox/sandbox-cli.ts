/** The `guestnet sandbox …` subcommands: argument handling and output (text or `--json`). */
import type { CliArgs } from '../cli/args'
import type { CliIo } from '../cli/verb'
import { EXIT } from '../cli/verb'
import { NsCommandError, NsGuardError } from './ns-exec'
import type { SandboxContext } from './sandbox'
import { formatStatus, sandboxDown, sandboxExec, sandboxStatus, sandboxUp } from './sandbox'
import { sandboxPaths, SandboxError } from './sandbox-config'
import { sandboxDemo } from './sandbox-demo'
import { sandboxGuestAdd, sandboxGuestDel } from './sandbox-guests'
import { sandboxGuestnet } from './sandbox-networks'

export interface SandboxCliInput {
  sub: string
  rest: string[]
  args: CliArgs
  io: CliIo
  /** The CLI script, to run `guestnet --root R --netns gn-sbx-host …` (net-start, net-destroy). */
  cliScript: string
}

/** `--network NET`: a value option once the parser lists it; until then a flag followed by a positional. */
function networkOption(args: CliArgs, rest: string[]): string {
  const given = args.options.get('network')
  if (given !== undefined) return given
  if (args.flags.has('network')) {
    const value = rest.shift()
    if (value === undefined) throw new SandboxError('--network needs a value: the network to attach the guest to')
    return value
  }
  return 'default'
}

export async function runSandbox(input: SandboxCliInput): Promise<number> {
  const { sub, args, io } = input
  const rest = [...input.rest]
  const json = args.flags.has('json')
  try {
    const paths = sandboxPaths(args.options.get('root'))
    const ctx: SandboxContext = {
      paths,
      x: sandboxExec(),
      log: json ? () => undefined : (line) => io.out(line),
      guestnet: sandboxGuestnet(input.cliScript, paths)
    }
    const print = (value: unknown, text: string): void => io.out(json ? JSON.stringify(value, null, 2) : text)
    switch (sub) {
      case 'up': {
        const status = await sandboxUp(ctx)
        print(status, formatStatus(status))
        return status.up ? EXIT.ok : EXIT.failed
      }
      case 'down': {
        const result = await sandboxDown(ctx)
        print(
          result,
          [
            ...result.warnings.map((w) => `! ${w}`),
            result.removed.length > 0 ? 'sandbox down' : 'the sandbox was not up'
          ].join('\n')
        )
        return EXIT.ok
      }
      case 'status': {
        const status = await sandboxStatus(ctx)
        print(status, formatStatus(status))
        return EXIT.ok
      }
      case 'demo': {
        const result = await sandboxDemo(ctx, { keep: args.flags.has('keep') })
        if (json) print(result, '')
        return result.ok ? EXIT.ok : EXIT.failed
      }
      case 'guest':
        return await guestCommand(ctx, rest, args, io, print)
    }
    return EXIT.invalid
  } catch (error) {
    return reportError(error, io)
  }
}

async function guestCommand(
  ctx: SandboxContext,
  rest: string[],
  args: CliArgs,
  io: CliIo,
  print: (value: unknown, text: string) => void
): Promise<number> {
  const action = rest.shift()
  const name = rest.shift()
  if ((action !== 'add' && action !== 'del') || !name) {
    io.err('guestnet sandbox guest: use `guest add NAME [--network NET]` or `guest del NAME`')
    return EXIT.invalid
  }
  if (action === 'del') {
    const removed = await sandboxGuestDel(ctx, name)
    if (!removed) io.err(`guestnet sandbox: no guest ${name} in the sandbox under ${ctx.paths.root}`)
    return removed ? EXIT.ok : EXIT.failed
  }
  const network = networkOption(args, rest)
  const guest = await sandboxGuestAdd(ctx, { name, network, dhcp: !args.flags.has('no-dhcp') })
  print(
    guest,
    `guest ${guest.name} (${guest.ns}) on ${guest.network}: ${[guest.ipv4, guest.ipv6].filter(Boolean).join(', ') || 'no address yet'}`
  )
  return EXIT.ok
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof SandboxError) {
    io.err(`guestnet sandbox: ${error.message}${error.fix ? `\n  fix: ${error.fix}` : ''}`)
    return EXIT.failed
  }
  if (error instanceof NsGuardError || error instanceof NsCommandError) {
    io.err(`guestnet sandbox: ${error.message}`)
    return EXIT.failed
  }
  throw error
}
