/**
 * The only command shapes the doctor runs as root. A fix is computed by the helper itself, but an
 * undo is read back from a file under the runtime directory, so it is checked against these shapes
 * (fix-facts.ts derives the undo from what a fix made, then checks it here): deleting our own rules,
 * leaving a sysctl, moving a bridge between firewalld zones.
 */
import { hostSysctlProblem } from '../../core/plan/sysctl-keys'
import { isInterfaceName } from '../../core/net/ifname'

export const IPTABLES_PROGRAMS = ['iptables-nft', 'ip6tables-nft', 'iptables-legacy', 'ip6tables-legacy'] as const
const NAME = /^[A-Za-z0-9_.:@+-]{1,64}$/
const ARG = /^[A-Za-z0-9_.:@+,/-]{1,64}$/

function iptablesUndoProblem(argv: readonly string[]): string | null {
  const [, op, chain, ...spec] = argv
  if (op === '-X') return chain === 'DOCKER-USER' && spec.length === 0 ? null : 'only DOCKER-USER may be removed'
  if (op !== '-D' || !chain || !NAME.test(chain)) return 'an iptables undo deletes one rule (-D CHAIN …)'
  if (!spec.every((a) => ARG.test(a))) return 'unexpected iptables argument'
  return spec[spec.length - 1] === 'ACCEPT' ||
    (spec.join(' ') === '-j RETURN' && chain === 'DOCKER-USER') ||
    (spec.join(' ') === '-j DOCKER-USER' && chain === 'FORWARD')
    ? null
    : 'an iptables undo removes only accept rules, the DOCKER-USER jump or its RETURN'
}

function nftUndoProblem(argv: readonly string[]): string | null {
  if (argv.length !== 3 || argv[1] !== '-j') return "an nft undo is 'nft -j {delete rule …}'"
  let parsed: unknown
  try {
    parsed = JSON.parse(argv[2])
  } catch {
    return 'the nft undo is not JSON'
  }
  const items = (parsed as { nftables?: unknown } | null)?.nftables
  if (!Array.isArray(items) || items.length === 0) return 'the nft undo holds no command'
  for (const item of items) {
    const keys = typeof item === 'object' && item !== null ? Object.keys(item) : []
    const rule = (item as { delete?: { rule?: Record<string, unknown> } }).delete?.rule
    if (keys.length !== 1 || !rule) return 'an nft undo only deletes rules'
    const ok =
      Object.keys(rule).every((k) => ['family', 'table', 'chain', 'handle'].includes(k)) &&
      typeof rule.family === 'string' &&
      typeof rule.table === 'string' &&
      typeof rule.chain === 'string' &&
      typeof rule.handle === 'number' &&
      Number.isInteger(rule.handle)
    if (!ok) return 'an nft undo deletes a rule by family, table, chain and handle'
  }
  return null
}

function firewalldUndoProblem(argv: readonly string[]): string | null {
  const zone = /^--zone=([A-Za-z0-9_-]{1,64})$/.exec(argv[1] ?? '')
  const iface = /^--(?:remove|change)-interface=(.*)$/.exec(argv[2] ?? '')
  return argv.length === 3 && zone && iface && isInterfaceName(iface[1])
    ? null
    : 'a firewalld undo moves one interface out of a zone'
}

/** Why a recorded undo command may not run, or null. */
export function undoArgvProblem(argv: readonly string[]): string | null {
  const [prog] = argv
  if (prog === '@sysctl-restore') {
    if (argv.length !== 2) return '@sysctl-restore takes KEY'
    return hostSysctlProblem(argv[1], '0')
  }
  if ((IPTABLES_PROGRAMS as readonly string[]).includes(prog)) return iptablesUndoProblem(argv)
  if (prog === 'nft') return nftUndoProblem(argv)
  if (prog === 'firewall-cmd') return firewalldUndoProblem(argv)
  return `'${prog}' is not a command a doctor undo runs`
}
