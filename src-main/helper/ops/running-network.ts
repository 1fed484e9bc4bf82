/**
 * What every live change of a running network (net-update --live, net-renumber, port forwards)
 * checks and derives the same way: the network's journal, that its bridge and tables are its own,
 * the plan context it was started with, and how a failed transaction is reported.
 *
 * The plan context comes from the journal's facts, not from asking the host again: a plan rebuilt
 * for a live change must write the files the start wrote (the same port isolation, the same
 * firewalld zone), or the change is refused as "runs another definition".
 */
import type { GuestAddresses } from '../../core/forward/resolve-forwards'
import type { HostFacts } from '../../core/model/host-facts'
import type { NetworkDef } from '../../core/model/network'
import type { NftTableRef } from '../../core/model/plan'
import type { PlanContext } from '../../core/plan/build-plan'
import { detectDnsmasqUser } from '../../core/plan/dnsmasq-user'
import type { NetworkRecord } from '../../core/plan/network-record'
import { describeOwner, ownerMark } from '../../core/store/store-id'
import { HelperError } from '../../contract/helper-protocol'
import { readUserDb } from '../../host/user-db'
import type { ApplyOutcome } from '../apply-plan'
import { messageOf } from '../apply-plan'
import { readRecord } from '../state/journal'
import type { OpsDeps } from './deps'

/** The user dnsmasq drops to on this host (from /etc/passwd and /etc/group), as a start finds it. */
export function dnsmasqUser(): ReturnType<typeof detectDnsmasqUser> {
  const { passwd, group } = readUserDb()
  return detectDnsmasqUser(passwd, group)
}

/** The journal of running network `name`, or NOT_ACTIVE with `fix`. */
export function runningRecord(deps: OpsDeps, name: string, fix: string): NetworkRecord {
  const record = readRecord(deps.paths.journal(name), { network: name, store: deps.store })
  if (!record || !record.ok) {
    throw new HelperError(
      'NOT_ACTIVE',
      `network ${name} has no readable journal: it is not running as guestnet started it`,
      {
        fix
      }
    )
  }
  return record.record
}

/** The journal's bridge, when it is there, bears this network's mark and is the one `def` names. */
export function ownBridge(deps: OpsDeps, record: NetworkRecord, def: NetworkDef, fix: string): string {
  const bridge = record.bridge
  const link = bridge === null ? null : deps.linkMark(bridge)
  if (
    bridge === null ||
    bridge !== def.bridge?.name ||
    link === null ||
    !link.inGroup ||
    link.alias !== ownerMark(deps.store, def.name)
  ) {
    throw new HelperError(
      'NOT_ACTIVE',
      `network ${def.name}'s bridge ${bridge} is not there (or not the one its definition names)`,
      {
        fix
      }
    )
  }
  return bridge
}

/** Each of `tables` is there and bears this network's owner mark (a live change replaces them). */
export async function assertOwnTables(
  deps: OpsDeps,
  name: string,
  tables: readonly NftTableRef[],
  fix: string
): Promise<void> {
  if (tables.length === 0) return
  const owner = ownerMark(deps.store, name)
  const marks = await deps.tableMarks()
  for (const t of tables) {
    const there = marks.find((m) => m.family === t.family && m.name === t.name)
    if (!there) {
      throw new HelperError('NOT_ACTIVE', `network ${name}'s table ${t.family} ${t.name} is not there`, { fix })
    }
    if (there.comment !== owner) {
      throw new HelperError(
        'FOREIGN_OBJECT',
        `table ${t.family} ${t.name} belongs to ${describeOwner(there.comment, deps.store)}`,
        {
          fix: 'guestnet reconcile shows it; stop and start the network instead'
        }
      )
    }
  }
}

/** The plan context of a running network, from its journal: what its start decided about the host. */
export function runningPlanContext(
  deps: OpsDeps,
  record: NetworkRecord,
  facts: HostFacts,
  guests?: GuestAddresses
): PlanContext {
  return {
    paths: deps.paths.plan,
    hostFacts: facts,
    dnsmasqUser: dnsmasqUser(),
    owner: ownerMark(deps.store, record.network),
    // A bridge-family table is there only where nft enforced <port isolated>; otherwise the kernel's flag did.
    portIsolation: record.tables.some((t) => t.family === 'bridge') ? 'nft' : 'kernel',
    firewalldZones: record.zone ? [record.zone] : null,
    ...(guests ? { guests } : {})
  }
}

/** The error of a live transaction that did not succeed (`doing`: "renumbering network x"), or null. */
export function liveFailure(out: ApplyOutcome, doing: string, keptAsItWas: string): HelperError | null {
  if (out.ok) return null
  const tail = out.leftSomething
    ? '; some rollback commands failed too (see rollbackErrors): run guestnet reconcile'
    : `; ${keptAsItWas}`
  if (out.interrupted)
    return new HelperError('INTERRUPTED', `${doing} was interrupted by a signal${tail}`, {
      rollbackErrors: out.rollbackErrors
    })
  const where = out.failedStep === null ? '' : ` at step '${out.failedStep}'`
  return new HelperError('STEP_FAILED', `${doing} failed${where}: ${messageOf(out.error)}${tail}`, {
    rollbackErrors: out.rollbackErrors
  })
}
