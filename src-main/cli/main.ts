import { parseCliArgs, UsageError } from './args'
import { createCliIo } from './cli-io'
import type { CliIo, Verb } from './verb'
import { EXIT } from './verb'

// Each verb is its own chunk, loaded on demand, so a command only pays for what it uses.
const VERBS: Record<string, () => Promise<{ verb: Verb }>> = {
  'xml-normalize': () => import('./verbs/xml-normalize'),
  validate: () => import('./verbs/validate'),
  plan: () => import('./verbs/plan'),
  'suggest-range': () => import('./verbs/suggest-range'),
  'net-list': () => import('./verbs/net-list'),
  'net-info': () => import('./verbs/net-info'),
  'net-define': () => import('./verbs/net-define'),
  'net-undefine': () => import('./verbs/net-undefine'),
  'net-start': () => import('./verbs/net-start'),
  'net-destroy': () => import('./verbs/net-destroy'),
  'net-autostart': () => import('./verbs/net-autostart'),
  'net-dumpxml': () => import('./verbs/net-dumpxml'),
  'net-dhcp-leases': () => import('./verbs/net-dhcp-leases'),
  'net-restore-default': () => import('./verbs/net-restore-default'),
  'autostart-all': () => import('./verbs/autostart-all'),
  reconcile: () => import('./verbs/reconcile'),
  doctor: () => import('./verbs/doctor'),
  sandbox: () => import('./verbs/sandbox'),
  watch: () => import('./verbs/watch'),
  'net-renumber': () => import('./verbs/net-renumber'),
  'net-update': () => import('./verbs/net-update'),
  'net-forward-add': () => import('./verbs/net-forward-add'),
  'net-forward-del': () => import('./verbs/net-forward-del'),
  'net-forward-list': () => import('./verbs/net-forward-list'),
  'net-span': () => import('./verbs/net-span'),
  'net-follow-uplink': () => import('./verbs/net-follow-uplink'),
  service: () => import('./verbs/service')
}

const io: CliIo = createCliIo(
  { write: (t) => process.stdout.write(t), isTTY: process.stdout.isTTY },
  { write: (t) => process.stderr.write(t), isTTY: process.stderr.isTTY }
)

async function printHelp(): Promise<void> {
  const lines = ['usage: guestnet [--root DIR] [--netns NAME] VERB [ARGS]', '', 'verbs:']
  for (const load of Object.values(VERBS)) {
    const { verb } = await load()
    lines.push(`  ${verb.usage.padEnd(58)} ${verb.summary}`)
  }
  io.out(lines.join('\n'))
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseCliArgs(argv)
  if (!args.verb || args.verb === 'help' || (args.flags.has('help') && !VERBS[args.verb])) {
    await printHelp()
    return args.verb || args.flags.has('help') ? EXIT.ok : EXIT.invalid
  }
  const load = VERBS[args.verb]
  if (!load) {
    io.err(`guestnet: unknown verb '${args.verb}'; run 'guestnet help' for the list`)
    return EXIT.invalid
  }
  const { verb } = await load()
  if (args.flags.has('help')) {
    io.out(`usage: guestnet ${verb.usage}\n${verb.summary}`)
    return EXIT.ok
  }
  return verb.run(args, io)
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      io.err(`guestnet: ${error.message}`)
      process.exitCode = EXIT.invalid
      return
    }
    io.err(`guestnet: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    process.exitCode = EXIT.failed
  }
)
