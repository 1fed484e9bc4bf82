/**
 * The steps of a live `net-update`: the running dnsmasq takes new reservations and DNS hosts by
 * re-reading its dhcp-hostsfile and addn-hosts on SIGHUP, so nothing restarts and every guest keeps
 * its lease. Run by the one transaction executor (apply-plan.ts). Pure.
 *   files   write the new hostsfile / addnhosts     write the old ones back, SIGHUP again
 *   reload  SIGHUP the journal's dnsmasq            (nothing: the files' undo re-reads the old ones)
 */
import type { Argv, PlanStep } from '../model/plan'
import type { NetworkPaths } from './network-paths'

/** The files SIGHUP makes dnsmasq re-read: the only artifacts a live update may change. */
export const LIVE_UPDATE_ARTIFACTS = ['hostsfile', 'addnhosts'] as const
export type LiveUpdateArtifact = (typeof LIVE_UPDATE_ARTIFACTS)[number]

export interface UpdateStepsInput {
  paths: NetworkPaths
  /** The new contents, by artifact key; a key left out is not touched. */
  next: Partial<Record<LiveUpdateArtifact, string>>
  /** What those files hold now (null: no such file). */
  current: Partial<Record<LiveUpdateArtifact, string | null>>
  /** The running dnsmasq's start time, from the journal (only that process is signalled). */
  dnsmasqStartTime: number
}

export interface UpdateSteps {
  steps: PlanStep[]
  /** For the runner's `@write`: the new files, `old:KEY` the current ones. */
  artifacts: Record<string, string>
  /** Did any file change? (no: nothing to do, no signal) */
  changed: boolean
}

export function updateSteps(i: UpdateStepsInput): UpdateSteps {
  const artifacts: Record<string, string> = {}
  const apply: Argv[] = []
  const undo: Argv[] = []
  for (const key of LIVE_UPDATE_ARTIFACTS) {
    const content = i.next[key]
    if (content === undefined || content === i.current[key]) continue
    const path = key === 'hostsfile' ? i.paths.hostsfile : i.paths.addnhosts
    artifacts[key] = content
    apply.push(['@write', path, key])
    const old = i.current[key]
    if (old === null || old === undefined) undo.push(['@remove', path])
    else {
      artifacts[`old:${key}`] = old
      undo.push(['@write', path, `old:${key}`])
    }
  }
  if (apply.length === 0) return { steps: [], artifacts, changed: false }
  const hup: Argv = ['@hup-dnsmasq', i.paths.pidfile, String(i.dnsmasqStartTime)]
  return {
    steps: [
      {
        id: 'files',
        title: `Write the reservations and DNS hosts to ${i.paths.dir}`,
        apply,
        rollback: [...undo, hup]
      },
      {
        id: 'reload',
        title: 'Tell dnsmasq to re-read them (SIGHUP: same process, leases kept)',
        apply: [hup],
        rollback: []
      }
    ],
    artifacts,
    changed: true
  }
}
