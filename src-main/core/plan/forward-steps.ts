/**
 * The steps of a live port-forward change (and of a re-resolve when a guest moved): the network's
 * table is replaced in one atomic `nft -f` (delete + create in one transaction), so there is never
 * a moment without a firewall, and conntrack is not touched: guests' connections, forwarded ones
 * included, keep their NAT. Run by the one transaction executor (apply-plan.ts). Pure.
 *   files     write the new ruleset.nft and the two reload files   write the old ruleset.nft back
 *   firewall  nft -f (delete the table, load the new one)          nft -f (the same with the old one)
 */
import type { Argv, NftTableRef, PlanStep } from '../model/plan'
import type { NetworkPaths } from './network-paths'
import { nftReplace } from './renumber-steps'

export interface ForwardStepsInput {
  paths: NetworkPaths
  tables: readonly NftTableRef[]
  /** The new ruleset (the plan's `nft` artifact) and the one loaded now (null: no file). */
  next: string
  current: string | null
  /** What the new table is for, in the files step's title (default: the port forwards). */
  purpose?: string
}

export interface ForwardSteps {
  steps: PlanStep[]
  artifacts: Record<string, string>
  /** Reload files, removed after the transaction. */
  scratch: string[]
  changed: boolean
}

export function forwardSteps(i: ForwardStepsInput): ForwardSteps {
  if (i.next === i.current || i.tables.length === 0) return { steps: [], artifacts: {}, scratch: [], changed: false }
  const reload = `${i.paths.dir}/forward.nft`
  const restore = `${i.paths.dir}/forward-undo.nft`
  const artifacts: Record<string, string> = {
    nft: i.next,
    'forward.nft': nftReplace(i.tables, i.next),
    'forward-undo.nft': nftReplace(i.tables, i.current ?? '')
  }
  const undo: Argv[] = [
    ['@remove', reload],
    ['@remove', restore]
  ]
  if (i.current === null) undo.unshift(['@remove', i.paths.ruleset])
  else {
    artifacts['old:nft'] = i.current
    undo.unshift(['@write', i.paths.ruleset, 'old:nft'])
  }
  const tables = i.tables.map((t) => `${t.family} ${t.name}`).join(', ')
  return {
    steps: [
      {
        id: 'files',
        title: `Write the new firewall for ${i.purpose ?? 'the port forwards'} to ${i.paths.dir}`,
        apply: [
          ['@write', i.paths.ruleset, 'nft'],
          ['@write', reload, 'forward.nft'],
          ['@write', restore, 'forward-undo.nft']
        ],
        rollback: undo
      },
      {
        id: 'firewall',
        title: `Replace firewall ${tables} in one transaction (connections are kept)`,
        apply: [['nft', '-f', reload]],
        rollback: [['nft', '-f', restore]]
      }
    ],
    artifacts,
    scratch: [reload, restore],
    changed: true
  }
}
