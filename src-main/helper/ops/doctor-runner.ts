/**
 * The doctor's runner on the helper's side (doctor/fix/apply-fixes.ts): programs from the
 * allow-list by argv, and the helper's one sysctl built-in with the fix as the owner in the
 * namespace's ledger (`doctor/FINDING`: a name no network can have). A doctor-held sysctl counts as
 * live until its fix is undone, so a network stopping does not take it back.
 */
import type { DoctorRunner } from '../../doctor/fix/apply-fixes'
import { createCommandRunner } from '../run/command-runner'
import { execProgram } from '../run/exec-program'
import type { LedgerOwner } from '../state/sysctl-ledger'
import type { OpsDeps } from './deps'
import { ownerIsLive } from './real-deps'

/** Pure: each rule's comment by handle, from `nft -j -a list chain F T C`. */
export function parseRuleComments(json: string): Map<number, string | null> {
  const out = new Map<number, string | null>()
  try {
    const items = (JSON.parse(json) as { nftables?: unknown }).nftables
    if (!Array.isArray(items)) return out
    for (const item of items) {
      const rule = (item as { rule?: { handle?: unknown; comment?: unknown } } | null)?.rule
      if (rule && typeof rule.handle === 'number')
        out.set(rule.handle, typeof rule.comment === 'string' ? rule.comment : null)
    }
  } catch {
    // not a listing: no rules known
  }
  return out
}

const doctorOwner = (o: LedgerOwner): boolean => o.network.startsWith('doctor/')

export function doctorRunner(deps: OpsDeps): DoctorRunner {
  const notes: string[] = []
  return {
    async run(argv, fix) {
      if (argv[0]?.startsWith('@')) {
        const runner = createCommandRunner({
          network: `doctor/${fix}`,
          store: deps.store,
          owner: '',
          bridge: null,
          artifacts: {},
          allowedDirs: [deps.paths.plan.runtimeDir],
          runtimeDir: deps.paths.plan.runtimeDir,
          ledgerFile: deps.paths.ledgerFile(deps.nsId),
          namespace: deps.namespace,
          isLive: (o) => doctorOwner(o) || ownerIsLive(o),
          note: (line) => notes.push(line)
        })
        await runner.run([...argv])
        return { stdout: '' }
      }
      return { stdout: (await execProgram([...argv], { timeoutMs: 20_000 })).stdout }
    },
    notes: () => notes.splice(0),
    async ruleComments(family, table, chain) {
      try {
        return parseRuleComments((await execProgram(['nft', '-j', '-a', 'list', 'chain', family, table, chain])).stdout)
      } catch {
        return new Map()
      }
    }
  }
}
