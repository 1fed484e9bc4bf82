/**
 * The guard that keeps the sandbox and the namespace tests out of the machine's own network namespace.
 * Every command they run is an `ip` argv that names one of their own namespaces: `ip -n NS …`,
 * `ip netns exec NS PROG …` (anything may run inside NS), or `ip netns add|del|pids NS`. Anything else
 * (a bare `nft`, `ip link add` without `-n`, `sysctl`, a veth end sent to another namespace that is not
 * ours or to a PID) is refused before it runs.
 */

/** Tells whether a namespace name belongs to the caller (its prefix, or a set of names it made). */
export type NamespaceOwner = (name: string) => boolean

const NETNS_OBJECT_VERBS = new Set(['add', 'del', 'delete', 'pids'])

/** `ip` options that take no value and change nothing about where the command applies. */
const HARMLESS_IP_FLAGS = new Set([
  '-j',
  '-json',
  '-4',
  '-6',
  '-br',
  '-brief',
  '-d',
  '-details',
  '-s',
  '-stats',
  '-p',
  '-pretty',
  '-o',
  '-oneline'
])

/** Returns why `argv` may not run, or null when it is confined to one of our namespaces. */
export function namespacedArgvProblem(argv: readonly string[], isOurs: NamespaceOwner): string | null {
  const shown = argv.join(' ')
  if (argv[0] !== 'ip') return `refused '${shown}': only 'ip -n NS …' or 'ip netns exec NS …' may run`
  let ns: string | undefined
  let i = 1
  for (; i < argv.length && argv[i].startsWith('-'); i++) {
    const opt = argv[i]
    if (opt === '-n' || opt === '-netns') {
      ns = argv[++i]
      if (!ns || !isOurs(ns)) return `refused '${shown}': namespace '${ns ?? ''}' is not one of ours`
    } else if (!HARMLESS_IP_FLAGS.has(opt)) {
      return `refused '${shown}': ip option ${opt} is not allowed here`
    }
  }
  const rest = argv.slice(i)
  if (ns !== undefined)
    return rest[0] === 'netns' ? `refused '${shown}': netns with -n` : movedToForeignNamespace(rest, isOurs, shown)
  if (rest[0] !== 'netns') return `refused '${shown}': the command does not name a namespace (-n NS)`
  const verb = rest[1]
  const target = rest[2]
  if (verb === 'exec') {
    if (!target || !isOurs(target)) return `refused '${shown}': namespace '${target ?? ''}' is not one of ours`
    return rest.length < 4 ? `refused '${shown}': nothing to run` : null
  }
  if (verb === undefined || verb === 'list' || verb === 'ls')
    return rest.length <= 2 ? null : `refused '${shown}': unexpected arguments`
  if (NETNS_OBJECT_VERBS.has(verb)) {
    if (!target || !isOurs(target)) return `refused '${shown}': namespace '${target ?? ''}' is not one of ours`
    return rest.length === 3 ? null : `refused '${shown}': unexpected arguments`
  }
  return `refused '${shown}': 'ip netns ${verb}' is not allowed`
}

/** `link add … netns X` / `link set … netns X`: X must be ours, by name (a PID could be the root namespace). */
function movedToForeignNamespace(args: readonly string[], isOurs: NamespaceOwner, shown: string): string | null {
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== 'netns') continue
    const target = args[i + 1]
    if (!target || /^\d+$/.test(target) || !isOurs(target)) {
      return `refused '${shown}': 'netns ${target ?? ''}' is not one of our namespaces`
    }
  }
  return null
}

/** A name owner that accepts names starting with `prefix` (and nothing shorter than the prefix). */
export function ownerByPrefix(prefix: string): NamespaceOwner {
  return (name) => name.length > prefix.length && name.startsWith(prefix) && /^[A-Za-z0-9_.-]+$/.test(name)
}
