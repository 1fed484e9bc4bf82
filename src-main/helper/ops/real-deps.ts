/** The real machine behind OpsDeps: /proc, nft, ip and the built-ins. */
import { FAULT_ENV, faultHook, parseFault } from '../fault'
import type { StepEvent } from '../../contract/helper-protocol'
import { createCommandRunner } from '../run/command-runner'
import { inspectPidfile } from '../run/dnsmasq-process'
import { execProgram } from '../run/exec-program'
import type { IpSession } from '../run/ip-session'
import type { NftLoader } from '../run/nft-loader'
import { resolveProgram } from '../run/programs'
import type { HelperPaths } from '../../core/store/helper-paths'
import { currentNsId, listInterfaces, listNftTables } from '../state/live-state'
import type { OpsDeps } from './deps'

/** core/plan/devgroup.ts GUESTNET_DEVGROUP, as `ip` prints and takes it. */
const DEVGROUP = String(0x676e)

/** Pure: interface names in `ip -j link show group N` output. */
export function parseIpLinkNames(json: string): Set<string> {
  try {
    const raw = JSON.parse(json) as unknown
    if (!Array.isArray(raw)) return new Set()
    return new Set(
      raw.flatMap((l) =>
        typeof (l as { ifname?: unknown })?.ifname === 'string' ? [(l as { ifname: string }).ifname] : []
      )
    )
  } catch {
    return new Set()
  }
}

export interface RealDepsOptions {
  paths: HelperPaths
  /** The resolved `--root`, or null for the system store. */
  root: string | null
  /** Honour the fault switch (root callers in tests only). */
  faults: boolean
  netns: string | null
  emit(event: StepEvent): void
  shouldStop(): boolean
  /** The request's ip process, for the plans' `ip -batch` commands (run/ip-session.ts). */
  ipSession?: IpSession | null
  /** An `nft -f -` started early, for the first ruleset (run/nft-loader.ts). */
  nft?: NftLoader | null
}

export function realDeps(opts: RealDepsOptions): OpsDeps {
  const { paths } = opts
  return {
    paths,
    runnerFor: (network, artifacts = {}) =>
      createCommandRunner(
        {
          network,
          artifacts,
          allowedDirs: [paths.plan.runtimeDir, paths.plan.stateDir],
          ledgerFile: paths.ledgerFile
        },
        { ipSession: opts.ipSession, nft: opts.nft }
      ),
    interfaces: listInterfaces,
    tables: listNftTables,
    groupBridges: async () =>
      parseIpLinkNames((await execProgram(['ip', '-j', 'link', 'show', 'group', DEVGROUP])).stdout),
    inspectPidfile,
    checkPrograms: (programs) => {
      for (const p of programs) resolveProgram(p)
    },
    nsId: currentNsId(),
    netns: opts.netns,
    now: () => new Date(),
    emit: opts.emit,
    shouldStop: opts.shouldStop,
    afterStep: opts.faults ? faultHook(parseFault(process.env[FAULT_ENV])) : undefined
  }
}
