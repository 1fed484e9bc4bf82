/**
 * Every path the helper touches, derived from the store layout (`--root`) and the namespace
 * (`--netns`): never taken from a request. A network's files are named by its key
 * (network-key.ts), which never starts with a dot, so hidden names (`.x`) cannot clash with them.
 */
import type { PlanPaths } from '../model/plan'
import { networkPaths } from '../plan/network-paths'
import { networkKey } from './network-key'
import type { StoreLayout } from './store-layout'
import { storeLayout } from './store-layout'

export interface HelperPaths {
  layout: StoreLayout
  /** What the plan is built with: runtime files and state (leases) directories. */
  plan: PlanPaths
  /** `<runtimeDir>/KEY.json`: the journal of a running network. */
  journal(name: string): string
  /** `<runtimeDir>/.KEY.starting.json`: written before a start's first step, removed after it ends. */
  intent(name: string): string
  /** `<runtimeDir>/KEY/`: the network's generated files and dnsmasq pid file. */
  networkDir(name: string): string
  leasesFile(name: string): string
  /**
   * `/run/guestnet/.sysctl/net-INODE.json`: the sysctl ledger of the network namespace with that
   * identity, one for every store acting there (helper/state/sysctl-ledger.ts); always under the
   * system's runtime directory, whatever `--root` says.
   */
  ledgerFile(nsId: string | null): string
  /** `<runtimeDir>/.lock`: one mutating helper at a time. */
  lockFile: string
  /** `<runtimeDir>/.definitions.cache`: definitions this helper parsed, by exact text (definitions.ts). */
  definitionsCache: string
  /** `<runtimeDir>/.helper.sock`: where the warm service listens (service/serve.ts), root only. */
  serviceSocket: string
  /** `<runtimeDir>/.guardian.json`: the guardian's latest frames, world-readable, for the desktop app. */
  guardianLog: string
}

/**
 * In a namespace without `--root`, runtime and state files go to `.netns/NS/` subdirectories so a
 * network of the same name in the machine's own namespace keeps its journal, pid and lease files.
 * With `--root` the caller chose an isolated tree: the plain layout is used.
 */
export function helperPaths(root: string | undefined, netns: string | undefined): HelperPaths {
  const layout = storeLayout(root)
  const sub = netns !== undefined && root === undefined ? `/.netns/${netns}` : ''
  const runtimeDir = `${layout.runtimeDir}${sub}`
  const stateDir = `${layout.stateDir}${sub}`
  return {
    layout,
    plan: { runtimeDir, stateDir },
    journal: (name) => `${runtimeDir}/${networkKey(name)}.json`,
    intent: (name) => `${runtimeDir}/.${networkKey(name)}.starting.json`,
    networkDir: (name) => networkPaths({ runtimeDir, stateDir }, name).dir,
    leasesFile: (name) => networkPaths({ runtimeDir, stateDir }, name).leases,
    ledgerFile: (nsId) =>
      `${storeLayout(undefined).runtimeDir}/.sysctl/net-${/\[(\d+)\]/.exec(nsId ?? '')?.[1] ?? 'unknown'}.json`,
    lockFile: `${runtimeDir}/.lock`,
    definitionsCache: `${runtimeDir}/.definitions.cache`,
    serviceSocket: `${runtimeDir}/.helper.sock`,
    guardianLog: `${runtimeDir}/.guardian.json`
  }
}
