import type { Verb } from '../verb'
import { EXIT } from '../verb'

const USAGE = 'sandbox up|down|status|demo|guest add|del NAME [--json]'
const DETAILS = [
  'guestnet [--root DIR] sandbox up|down|status [--json]',
  'guestnet [--root DIR] sandbox guest add NAME [--network NET] [--no-dhcp] [--json]',
  'guestnet [--root DIR] sandbox guest del NAME',
  'guestnet [--root DIR] sandbox demo [--keep]'
].join('\n  ')

const SUBCOMMANDS = ['up', 'down', 'status', 'guest', 'demo']

export const verb: Verb = {
  usage: USAGE,
  summary: 'a laptop-like sandbox made of network namespaces, guests in it, and the demo (root)',
  async run(args, io) {
    const [sub, ...rest] = args.positionals
    if (!sub || !SUBCOMMANDS.includes(sub)) {
      io.err(`guestnet sandbox: say what to do (${SUBCOMMANDS.join(', ')})\nusage:\n  ${DETAILS}`)
      return EXIT.invalid
    }
    if (args.options.has('netns')) {
      io.err(
        'guestnet sandbox: --netns does not apply: the sandbox makes its own namespaces (gn-sbx-host, gn-sbx-inet)'
      )
      return EXIT.invalid
    }
    if (process.getuid?.() !== 0) {
      io.err(
        `guestnet sandbox: creating network namespaces needs root: run 'sudo guestnet ${process.argv.slice(2).join(' ')}'`
      )
      return EXIT.environment
    }
    // Loaded only here: the sandbox pulls in the store and the namespace code.
    const { runSandbox } = await import('../../sandbox/sandbox-cli')
    return runSandbox({ sub, rest, args, io, cliScript: process.argv[1] })
  }
}
