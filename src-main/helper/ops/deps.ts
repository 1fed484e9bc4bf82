/**
 * What the network operations need from the machine, injected so the transaction logic can be
 * tested with a fake runner and a temporary directory (see start-network.spec.ts).
 */
import type { CommandRunner } from '../apply-plan'
import type { StepEvent } from '../../contract/helper-protocol'
import type { PidfileProcess } from '../run/dnsmasq-process'
import type { HelperPaths } from '../../core/store/helper-paths'
import type { NftTableRef } from '../state/journal'

export interface OpsDeps {
  paths: HelperPaths
  /** A runner for one network: built-ins act for `network` (its sysctl ownership, its artifacts). */
  runnerFor(network: string, artifacts?: Readonly<Record<string, string>>): CommandRunner
  interfaces(): Set<string>
  tables(): Promise<NftTableRef[]>
  /** Interfaces in guestnet's interface group (core/plan/devgroup.ts). */
  groupBridges(): Promise<Set<string>>
  inspectPidfile(pidfile: string): PidfileProcess
  /** Checks every program a plan runs is installed, before anything changes. */
  checkPrograms(programs: readonly string[]): void
  nsId: string | null
  netns: string | null
  now(): Date
  emit(event: StepEvent): void
  shouldStop(): boolean
  /** Test fault injection (fault.ts); undefined in normal runs. */
  afterStep?: (step: string) => void
}
