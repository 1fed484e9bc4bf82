/**
 * Renumbering a running network in place (see renumber-steps.ts for the steps). Refuses when the
 * network runs something other than its stored definition (it was redefined while running): then
 * the old files on disk are not what the old definition says, and a rollback could not be exact.
 * After success the journal keeps its undo (same bridge, table, files) with dnsmasq's new pid.
 */

import { parseIpAddrJson } from '../../core/host/parse-host-facts'
import type { HostFacts } from '../../core/model/host-facts'
import type { NetworkDef } from '../../core/model/network'
import { canonicalIp } from '../../core/net/ip'
import { buildPlan } from '../../core/plan/build-plan'
import { detectDnsmasqUser } from '../../core/plan/dnsmasq-user'
import { networkPaths } from '../../core/plan/network-paths'
import { applyPlan, messageOf } from '../apply-plan'
import { HelperError } from '../../contract/helper-protocol'
import { readPidfile } from '../run/dnsmasq-process'
import { execProgram } from '../run/exec-program'
import type { ArtifactKey } from '../../core/plan/build-plan'
import { ARTIFACT_KEYS, artifactPath } from '../../core/plan/build-plan'
import type { BridgeAddress } from '../../core/plan/renumber-steps'
import { renumberSteps } from '../../core/plan/renumber-steps'
import { ownerMark, describeOwner } from '../../core/store/store-id'
import { readTextOrNull, removePathSync } from '../../store/safe-fs'
import { processStartTime } from '../run/dnsmasq-process'
import { readRecord, writeRecord } from '../state/journal'
import type { OpsDeps } from './deps'
import { readUserDb } from '../../host/user-db'

export interface LiveRenumberInput {
  oldDef: NetworkDef
  newDef: NetworkDef
  /** The family that moved. */
  family: 4 | 6
  facts: HostFacts
  deps: OpsDeps
}

/** Files whose content must match the stored definition's plan for an exact rollback. */
const CHECKED_ARTIFACTS = ['ip.batch', 'nft', 'dnsmasq.conf'] as const

/** The user dnsmasq drops to on this host (from /etc/passwd and /etc/group), as a start finds it. */
export function dnsmasqUser(): ReturnType<typeof detectDnsmasqUser> {
  const { passwd, group } = readUserDb()
  return detectDnsmasqUser(passwd, group)
}

/** Pure: the global addresses of one family in `ip -j addr show dev BR` output. */
export function parseBridgeAddresses(json: string, family: 4 | 6): BridgeAddress[] {
  return parseIpAddrJson(json).flatMap((a) =>
    a.family === family && a.scope === 'global' ? [{ address: a.address, prefix: a.prefix }] : []
  )
}

function addressesOf(def: NetworkDef, family: 4 | 6): BridgeAddress[] {
  const want = family === 4 ? 'ipv4' : 'ipv6'
  return def.ips
    .filter((ip) => ip.family === want)
    .map((ip) => ({ address: canonicalIp(ip.address) ?? ip.address, prefix: ip.prefix }))
}

export async function renumberLive(input: LiveRenumberInput): Promise<{ dnsmasqPid: number | null }> {
  const { deps, oldDef, newDef, family } = input
  const name = newDef.name
  const record = readRecord(deps.paths.journal(name), { network: name, store: deps.store })
  if (!record || !record.ok) {
    throw new HelperError(
      'NOT_ACTIVE',
      `network ${name} has no readable journal: it is not running as guestnet started it`,
      { fix: 'run guestnet reconcile, then renumber again' }
    )
  }
  const bridge = record.record.bridge
  const owner = ownerMark(deps.store, name)
  const link = bridge === null ? null : deps.linkMark(bridge)
  if (bridge === null || bridge !== newDef.bridge?.name || link === null || !link.inGroup || link.alias !== owner) {
    throw new HelperError(
      'NOT_ACTIVE',
      `network ${name}'s bridge ${bridge} is not there (or not the one its definition names)`,
      {
        fix: 'run guestnet reconcile (or stop and start the network), then renumber again'
      }
    )
  }
  const user = dnsmasqUser()
  const oldPlan = buildPlan(oldDef, { paths: deps.paths.plan, hostFacts: input.facts, dnsmasqUser: user, owner })
  const newPlan = buildPlan(newDef, { paths: deps.paths.plan, hostFacts: input.facts, dnsmasqUser: user, owner })
  const np = networkPaths(deps.paths.plan, name)
  const oldFiles: Record<string, string | null> = {}
  for (const key of Object.keys(newPlan.artifacts)) {
    if ((ARTIFACT_KEYS as readonly string[]).includes(key))
      oldFiles[key] = readTextOrNull(artifactPath(np, key as ArtifactKey))
  }
  // The tables to replace must be this network's own (their comment): the replace deletes them.
  if (newPlan.tables.length > 0) {
    const marks = await deps.tableMarks()
    for (const t of newPlan.tables) {
      const there = marks.find((m) => m.family === t.family && m.name === t.name)
      if (there && there.comment !== owner) {
        throw new HelperError(
          'FOREIGN_OBJECT',
          `table ${t.family} ${t.name} belongs to ${describeOwner(there.comment, deps.store)}`,
          {
            fix: 'guestnet reconcile shows it; stop and start the network instead'
          }
        )
      }
      if (!there) {
        throw new HelperError('NOT_ACTIVE', `network ${name}'s table ${t.family} ${t.name} is not there`, {
          fix: 'run guestnet reconcile (or stop and start the network), then renumber again'
        })
      }
    }
  }
  // With port forwards the table follows the guests' addresses, so it cannot show which definition runs.
  const forwards = (oldDef.guestnet?.portForwards ?? []).length > 0
  for (const key of CHECKED_ARTIFACTS) {
    if (forwards && key === 'nft') continue
    if (oldPlan.artifacts[key] !== undefined && oldFiles[key] !== oldPlan.artifacts[key]) {
      throw new HelperError(
        'ACTIVE',
        `network ${name} runs a different definition than the stored one (it was changed while running), so it cannot be renumbered live`,
        {
          fix: `restart it first (guestnet net-destroy ${name}; guestnet net-start ${name}), or stop it and renumber it stopped`
        }
      )
    }
  }
  const shown = await execProgram(['ip', '-j', family === 4 ? '-4' : '-6', 'addr', 'show', 'dev', bridge])
  const plan = renumberSteps({
    bridge,
    family,
    newAddresses: addressesOf(newDef, family),
    oldAddresses: parseBridgeAddresses(shown.stdout, family),
    paths: np,
    newArtifacts: newPlan.artifacts,
    oldFiles,
    tables: newPlan.tables,
    dnsmasq: newPlan.steps.some((s) => s.id === 'dnsmasq')
  })
  deps.checkPrograms([
    ...new Set(
      plan.steps
        .flatMap((s) => [...s.apply, ...s.rollback])
        .map((a) => a[0])
        .filter((p) => !p.startsWith('@'))
    )
  ])

  const out = await applyPlan(plan.steps, deps.runnerFor(name, { artifacts: plan.artifacts, bridge }), {
    network: name,
    onEvent: (e) => deps.emit(e),
    shouldStop: () => deps.shouldStop(),
    ...(deps.afterStep ? { afterStep: deps.afterStep } : {})
  })
  for (const f of plan.scratch) removePathSync(f)
  // Done or rolled back, dnsmasq was started again: the journal names the one that runs now.
  const pid = readPidfile(np.pidfile)
  if (record.record.dnsmasq !== null) {
    const dnsmasq = { pid, startTime: pid === null ? null : processStartTime(pid) }
    writeRecord(deps.paths.journal(name), { ...record.record, dnsmasq })
  }
  if (out.ok) return { dnsmasqPid: pid }
  const tail = out.leftSomething
    ? '; some rollback commands failed too (see rollbackErrors): run guestnet reconcile'
    : '; the network runs as before'
  if (out.interrupted)
    throw new HelperError('INTERRUPTED', `renumbering network ${name} was interrupted by a signal${tail}`, {
      rollbackErrors: out.rollbackErrors
    })
  const where = out.failedStep === null ? '' : ` at step '${out.failedStep}'`
  throw new HelperError('STEP_FAILED', `renumbering network ${name} failed${where}: ${messageOf(out.error)}${tail}`, {
    rollbackErrors: out.rollbackErrors
  })
}
