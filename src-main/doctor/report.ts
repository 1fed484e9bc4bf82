/** The stable `--json` report (version 1, see README.md) from a diagnosis, the fix records and what this run did. Pure. */
import type { Diagnosis } from './diagnose'
import { undoOfRecord } from './fix/apply-fixes'
import type { DoctorAction, DoctorObservation, DoctorReport, FixCommand, FixRecord } from './model'

/** What undo will run, as far as it is known before the fix: nft handles are only known after. */
export function undoPreview(commands: readonly FixCommand[]): string[][] {
  const out: string[][] = []
  for (const c of [...commands].reverse()) {
    if (c.undo) out.push([...c.undo])
    else if (c.undoFromEcho) {
      const batch = JSON.parse(c.argv[c.argv.length - 1]) as {
        nftables: Array<{ insert: { rule: Record<string, unknown> } }>
      }
      const deletes = batch.nftables.map(({ insert: { rule } }) => ({
        delete: { rule: { family: rule.family, table: rule.table, chain: rule.chain, handle: '<handle>' } }
      }))
      out.push(['nft', '-j', JSON.stringify({ nftables: deletes })])
    }
  }
  return out
}

export function buildReport(
  obs: DoctorObservation,
  diag: Diagnosis,
  records: readonly FixRecord[],
  actions: readonly DoctorAction[]
): DoctorReport {
  return {
    version: 1,
    netns: obs.netns,
    complete: obs.unavailable.length === 0,
    unavailable: [...obs.unavailable],
    checks: diag.checks,
    findings: diag.findings.map((f) => ({
      ...f,
      evidence: [...f.evidence],
      fix: f.fix
        ? {
            summary: f.fix.summary,
            commands: f.fix.commands.map((c) => [...c.argv]),
            undo: undoPreview(f.fix.commands)
          }
        : null
    })),
    applied: records.map((r) => ({
      id: r.id,
      check: r.check,
      title: r.title,
      appliedAt: r.appliedAt,
      undo: undoOfRecord(r)
    })),
    actions: [...actions]
  }
}
