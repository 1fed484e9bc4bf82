/** Command-line parsing shared by every verb: global options anywhere, then verb and positionals. */

export interface CliArgs {
  verb: string
  positionals: string[]
  /** `--name value` options (and `--name=value`). */
  options: Map<string, string>
  /** `--flag` switches. */
  flags: Set<string>
}

/** Options that take a value; every other `--x` is a flag. */
const VALUE_OPTIONS = new Set([
  'root',
  'netns',
  'host-facts',
  'to',
  'fix',
  'undo',
  'pool',
  'file',
  'for',
  'network',
  'idle-timeout',
  'parent-index',
  'keep',
  // net-forward-add / net-forward-del
  'proto',
  'port',
  'to-port',
  'family',
  'address',
  // net-span
  'add-peer',
  'del-peer'
])

export class UsageError extends Error {}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  const positionals: string[] = []
  const options = new Map<string, string>()
  const flags = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2)
      if (VALUE_OPTIONS.has(name)) {
        const value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
        if (value === undefined) throw new UsageError(`--${name} needs a value`)
        options.set(name, value)
      } else {
        if (eq > 0) throw new UsageError(`--${name} takes no value`)
        flags.add(name)
      }
    } else if (arg === '-h') {
      flags.add('help')
    } else {
      positionals.push(arg)
    }
  }
  const verb = positionals.shift() ?? ''
  return { verb, positionals, options, flags }
}
