/**
 * What a doctor fix made, as facts, and how each is undone. A fix's commands are computed by the
 * checks from what the doctor sees now; what they did is recorded as facts (a rule inserted into a
 * chain, nft rule handles, an interface moved between firewalld zones, a sysctl held in the
 * namespace's ledger), and undo is derived here from those facts — never run as written in a file —
 * and checked against the shapes the doctor may run as root (argv-shapes.ts). Pure.
 */
import { hostSysctlProblem } from '../../core/plan/sysctl-keys'
import type { Argv, FixCommand } from '../model'
import { IPTABLES_PROGRAMS, undoArgvProblem } from './argv-shapes'

export type FixFact =
  /** `PROGRAM -I|-A CHAIN SPEC…` or `PROGRAM -N CHAIN`: undone by -D with the same spec, or -X. */
  | { kind: 'iptables'; program: string; op: '-I' | '-A' | '-N'; chain: string; spec: string[] }
  /** Rules `nft --echo --handle` inserted: deleted by handle, each checked to be the doctor's first. */
  | { kind: 'nft-rules'; rules: Array<{ family: string; table: string; chain: string; handle: number }> }
  /** firewalld: the interface added to (previous null) or moved into `zone`. */
  | { kind: 'firewalld'; zone: string; iface: string; previous: string | null }
  /** A host sysctl held in the namespace's ledger by this fix (core/plan/sysctl-keys.ts). */
  | { kind: 'sysctl'; key: string }

const isString = (v: unknown): v is string => typeof v === 'string'

/** Pure: the handles `nft -j --echo --handle` printed for the rules it inserted. */
export function rulesFromEcho(stdout: string): Array<{ family: string; table: string; chain: string; handle: number }> {
  let parsed: unknown
  try {
    parsed = JSON.parse(stdout)
  } catch {
    return []
  }
  const items = (parsed as { nftables?: unknown } | null)?.nftables
  if (!Array.isArray(items)) return []
  const out: Array<{ family: string; table: string; chain: string; handle: number }> = []
  for (const item of items) {
    const r = item as { insert?: { rule?: Record<string, unknown> }; add?: { rule?: Record<string, unknown> } } | null
    const rule = r?.insert?.rule ?? r?.add?.rule
    if (
      !rule ||
      !Number.isInteger(rule.handle) ||
      !isString(rule.family) ||
      !isString(rule.table) ||
      !isString(rule.chain)
    )
      continue
    out.push({ family: rule.family, table: rule.table, chain: rule.chain, handle: rule.handle as number })
  }
  return out
}

/** What a fix command made, from the command (computed now from what the doctor saw) and, for nft, what nft echoed. */
export function factOf(cmd: FixCommand, stdout: string): FixFact | null {
  const { argv } = cmd
  const [prog, op, chain, ...spec] = argv
  if ((IPTABLES_PROGRAMS as readonly string[]).includes(prog) && (op === '-I' || op === '-A' || op === '-N') && chain) {
    return { kind: 'iptables', program: prog, op, chain, spec: op === '-N' ? [] : spec }
  }
  if (prog === 'nft') {
    const rules = rulesFromEcho(stdout)
    return rules.length > 0 ? { kind: 'nft-rules', rules } : null
  }
  if (prog === 'firewall-cmd') {
    const zone = /^--zone=(.+)$/.exec(argv[1] ?? '')?.[1]
    const add = /^--add-interface=(.+)$/.exec(argv[2] ?? '')?.[1]
    const change = /^--change-interface=(.+)$/.exec(argv[2] ?? '')?.[1]
    // Moved from another zone: the one the check saw it in, as its undo names it.
    const previous = change ? (/^--zone=(.+)$/.exec(cmd.undo?.[1] ?? '')?.[1] ?? null) : null
    if (zone && (add || change)) return { kind: 'firewalld', zone, iface: (add ?? change) as string, previous }
  }
  if (prog === '@sysctl' && argv.length === 3) return { kind: 'sysctl', key: argv[1] }
  return null
}

/** The commands that undo a fact, last first within it. */
export function undoOfFact(f: FixFact): Argv[] {
  switch (f.kind) {
    case 'iptables':
      return f.op === '-N' ? [[f.program, '-X', f.chain]] : [[f.program, '-D', f.chain, ...f.spec]]
    case 'nft-rules':
      return [
        [
          'nft',
          '-j',
          JSON.stringify({
            nftables: f.rules.map((r) => ({
              delete: { rule: { family: r.family, table: r.table, chain: r.chain, handle: r.handle } }
            }))
          })
        ]
      ]
    case 'firewalld':
      return f.previous === null
        ? [['firewall-cmd', `--zone=${f.zone}`, `--remove-interface=${f.iface}`]]
        : [['firewall-cmd', `--zone=${f.previous}`, `--change-interface=${f.iface}`]]
    case 'sysctl':
      return [['@sysctl-restore', f.key]]
  }
}

/** Why a fact read back is not one the doctor made (its undo is not a shape it may run), or null. */
export function factProblem(f: FixFact): string | null {
  if (f.kind === 'sysctl') return hostSysctlProblem(f.key, '0')
  for (const argv of undoOfFact(f)) {
    const problem = undoArgvProblem(argv)
    if (problem) return problem
  }
  return null
}

/** Pure: a fact from JSON, or null when it is not one. */
export function parseFact(v: unknown): FixFact | null {
  const f = v as Record<string, unknown> | null
  if (!f || typeof f !== 'object') return null
  let fact: FixFact | null = null
  if (
    f.kind === 'iptables' &&
    isString(f.program) &&
    (f.op === '-I' || f.op === '-A' || f.op === '-N') &&
    isString(f.chain) &&
    Array.isArray(f.spec) &&
    f.spec.every(isString)
  ) {
    fact = { kind: 'iptables', program: f.program, op: f.op, chain: f.chain, spec: [...f.spec] }
  } else if (f.kind === 'nft-rules' && Array.isArray(f.rules)) {
    const rules = f.rules.flatMap((r: Record<string, unknown> | null) =>
      r && isString(r.family) && isString(r.table) && isString(r.chain) && Number.isInteger(r.handle)
        ? [{ family: r.family, table: r.table, chain: r.chain, handle: r.handle as number }]
        : []
    )
    if (rules.length === f.rules.length && rules.length > 0) fact = { kind: 'nft-rules', rules }
  } else if (
    f.kind === 'firewalld' &&
    isString(f.zone) &&
    isString(f.iface) &&
    (f.previous === null || isString(f.previous))
  ) {
    fact = { kind: 'firewalld', zone: f.zone, iface: f.iface, previous: f.previous }
  } else if (f.kind === 'sysctl' && isString(f.key)) {
    fact = { kind: 'sysctl', key: f.key }
  }
  return fact !== null && factProblem(fact) === null ? fact : null
}
