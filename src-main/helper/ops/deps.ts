/**
 * What the network operations need from the machine, injected so the transaction logic can be
 * tested with a fake runner and a temporary directory (see start-network.spec.ts).
 */
import type { StepEvent } from '../../contract/helper-protocol'
import type { NftTableRef } from '../../core/model/plan'
import type { HelperPaths } from '../../core/store/helper-paths'
import type { CommandRunner } from '../apply-plan'
import type { PidfileProcess } from '../run/dnsmasq-process'
import type { LinkMark, TableMark } from '../state/live-state'
import type { NamespaceTagger } from '../state/namespace-tag'

export interface RunnerScope {
  /** The plan's generated files, for `@write`. */
  artifacts?: Readonly<Record<string, string>>
  /** The bridge guestnet makes for the network (its built-ins delete only that one); null: none. */
  bridge: string | null
}

export interface OpsDeps {
  paths: HelperPaths
  /** The store this request acts for (core/store/store-id.ts); its networks' objects bear its mark. */
  store: string
  /** A runner for one network: built-ins act for `network` (its sysctls, its artifacts, its objects only). */
  runnerFor(network: string, scope: RunnerScope): CommandRunner
  interfaces(): Set<string>
  /** An interface's group and owner mark; null when it does not exist. */
  linkMark(ifname: string): LinkMark | null
  tables(): Promise<NftTableRef[]>
  /** Every nft table with its owner comment. */
  tableMarks(): Promise<TableMark[]>
  /** Interfaces in guestnet's interface group (core/plan/devgroup.ts). */
  groupBridges(): Promise<Set<string>>
  /** `bridge -j fdb show dev DEV` (a spanning network's VXLAN port); absent in fakes that need none. */
  fdb?(dev: string): Promise<string>
  inspectPidfile(pidfile: string, startTime?: number | null): PidfileProcess
  /** Checks every program a plan runs is installed, before anything changes. */
  checkPrograms(programs: readonly string[]): void
  nsId: string | null
  /** Tells this namespace's sysctl ledger from one a namespace that is gone left at its name. */
  namespace: NamespaceTagger
  netns: string | null
  now(): Date
  emit(event: StepEvent): void
  shouldStop(): boolean
  /** Notes for the result (a sysctl whose original was unknown, left as it is). */
  note(line: string): void
  /** Test fault injection (fault.ts); undefined in normal runs. */
  afterStep?: (step: string) => void
}
