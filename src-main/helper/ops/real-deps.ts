/** The real machine behind OpsDeps: /proc, /sys, nft, ip and the built-ins. */
import type { StepEvent } from '../../contract/helper-protocol'
import type { HelperPaths } from '../../core/store/helper-paths'
import { ownerMark, storeIdOf } from '../../core/store/store-id'
import { FAULT_ENV, faultHook, parseFault } from '../fault'
import { createCommandRunner } from '../run/command-runner'
import { inspectPidfile } from '../run/dnsmasq-process'
import { execProgram } from '../run/exec-program'
import type { IpSession } from '../run/ip-session'
import type { NftLoader } from '../run/nft-loader'
import { resolveProgram } from '../run/programs'
import {
  currentNsId,
  linkMark,
  listInterfaces,
  listNftTables,
  listTableMarks,
  parseIpLinkNames
} from '../state/live-state'
import { sysfsTagger } from '../state/namespace-tag'
import type { LedgerOwner } from '../state/sysctl-ledger'
import type { OpsDeps } from './deps'

/** core/plan/devgroup.ts GUESTNET_DEVGROUP, as `ip` prints and takes it. */
const DEVGROUP = String(0x676e)

/** A ledger owner still runs while its bridge is there, in guestnet's group, bearing its mark. */
export function ownerIsLive(owner: LedgerOwner): boolean {
  const mark = linkMark(owner.bridge)
  return mark !== null && mark.inGroup && mark.alias === (owner.mark ?? ownerMark(owner.store, owner.network))
}

export interface RealDepsOptions {
  paths: HelperPaths
  /** The resolved `--root`, or null for the system store. */
  root: string | null
  netns: string | null
  emit(event: StepEvent): void
  shouldStop(): boolean
  /** Honour the fault switch (root callers in tests only). */
  faults: boolean
  /** The request's ip process, for the plans' `ip -batch` commands (run/ip-session.ts). */
  ipSession?: IpSession | null
  /** An `nft -f -` started early, for the first ruleset (run/nft-loader.ts). */
  nft?: NftLoader | null
  /** Another, for the first table listing (an owner check before a deletion). */
  lister?: NftLoader | null
  /** Collects notes for the verb's result. */
  note?: (line: string) => void
}

export function realDeps(opts: RealDepsOptions): OpsDeps {
  const { paths } = opts
  const store = storeIdOf(opts.root)
  const nsId = currentNsId()
  const note = opts.note ?? (() => undefined)
  const namespace = sysfsTagger()
  return {
    paths,
    store,
    runnerFor: (network, scope) =>
      createCommandRunner(
        {
          network,
          store,
          owner: ownerMark(store, network),
          bridge: scope.bridge,
          artifacts: scope.artifacts ?? {},
          allowedDirs: [paths.plan.runtimeDir, paths.plan.stateDir],
          runtimeDir: paths.plan.runtimeDir,
          ledgerFile: paths.ledgerFile(nsId),
          namespace,
          isLive: (o) => o.network.startsWith('doctor/') || ownerIsLive(o),
          note
        },
        { ipSession: opts.ipSession, nft: opts.nft, lister: opts.lister }
      ),
    interfaces: listInterfaces,
    linkMark: (ifname) => linkMark(ifname),
    tables: listNftTables,
    tableMarks: listTableMarks,
    groupBridges: async () =>
      parseIpLinkNames((await execProgram(['ip', '-j', 'link', 'show', 'group', DEVGROUP])).stdout),
    fdb: async (dev) => (await execProgram(['bridge', '-j', 'fdb', 'show', 'dev', dev])).stdout,
    inspectPidfile,
    checkPrograms: (programs) => {
      for (const p of programs) resolveProgram(p)
    },
    nsId,
    namespace,
    netns: opts.netns,
    now: () => new Date(),
    emit: opts.emit,
    shouldStop: opts.shouldStop,
    note,
    afterStep: opts.faults ? faultHook(parseFault(process.env[FAULT_ENV])) : undefined
  }
}
