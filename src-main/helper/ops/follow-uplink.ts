/**
 * A running network follows the uplink's MTU (core/plan/follow-uplink-steps.ts): the plan is built
 * again from the stored definition and the live host facts; when its dnsmasq configuration differs
 * from the running one only in the announced MTU, dnsmasq restarts with the new one as one
 * transaction, and the journal names the dnsmasq that runs afterwards. A network that runs another
 * definition than the stored one (changed while running), or no dnsmasq guestnet recorded, is left
 * as it is, with the reason.
 */
import { guestMtu } from '../../core/host/uplink-mtu'
import type { HostFacts } from '../../core/model/host-facts'
import type { NetworkDef } from '../../core/model/network'
import { buildPlan } from '../../core/plan/build-plan'
import { announcedMtu, followUplinkSteps, withoutUplinkMtu } from '../../core/plan/follow-uplink-steps'
import { networkPaths } from '../../core/plan/network-paths'
import { HelperError } from '../../contract/helper-protocol'
import { readTextOrNull } from '../../store/safe-fs'
import { applyPlan, messageOf } from '../apply-plan'
import { processStartTime, readPidfile } from '../run/dnsmasq-process'
import { readRecord, writeRecord } from '../state/journal'
import type { OpsDeps } from './deps'
import { runningPlanContext } from './running-network'

export interface FollowOutcome {
  network: string
  /** The MTU guests are told now (null: none, they keep Ethernet's 1500). */
  announced: number | null
  /** What was announced before. */
  previous: number | null
  source: 'definition' | 'uplink' | 'default'
  changed: boolean
  dnsmasqPid: number | null
  message: string
}

function left(network: string, why: string, previous: number | null, source: FollowOutcome['source']): FollowOutcome {
  return { network, announced: previous, previous, source, changed: false, dnsmasqPid: null, message: why }
}

export async function followUplink(def: NetworkDef, facts: HostFacts, deps: OpsDeps): Promise<FollowOutcome> {
  const name = def.name
  const source = guestMtu(def, facts).source
  const record = readRecord(deps.paths.journal(name), { network: name, store: deps.store })
  if (!record?.ok) return left(name, `network ${name} is not running (no usable journal)`, null, source)
  const np = networkPaths(deps.paths.plan, name)
  const oldConf = readTextOrNull(np.dnsmasqConf)
  const previous = oldConf === null ? null : announcedMtu(oldConf)
  const dnsmasq = record.record.dnsmasq
  if (oldConf === null || dnsmasq === null || dnsmasq.startTime === null)
    return left(name, `network ${name} runs no dnsmasq guestnet recorded: nothing to announce`, previous, source)
  const plan = buildPlan(def, runningPlanContext(deps, record.record, facts))
  const newConf = plan.artifacts['dnsmasq.conf']
  if (newConf === undefined) return left(name, `network ${name} has no dnsmasq configuration`, previous, source)
  const announced = announcedMtu(newConf)
  if (newConf === oldConf) {
    const now = announced === null ? 'nothing announced (1500)' : `MTU ${announced}`
    return {
      ...left(name, `network ${name} already announces ${now}`, previous, source),
      dnsmasqPid: readPidfile(np.pidfile)
    }
  }
  if (withoutUplinkMtu(newConf) !== withoutUplinkMtu(oldConf))
    return left(
      name,
      `network ${name} runs another definition than the stored one: restart it (guestnet net-destroy ${name}; guestnet net-start ${name}) to follow the uplink`,
      previous,
      source
    )
  const proc = deps.inspectPidfile(np.pidfile, dnsmasq.startTime)
  if (proc.state !== 'ours')
    throw new HelperError('NOT_ACTIVE', `network ${name}'s recorded dnsmasq is not running`, {
      fix: 'run guestnet reconcile (or restart the network), then follow the uplink again'
    })
  const steps = followUplinkSteps({ paths: np, oldConf, newConf, dnsmasqStartTime: dnsmasq.startTime })
  deps.checkPrograms(['dnsmasq'])
  const out = await applyPlan(steps.steps, deps.runnerFor(name, { artifacts: steps.artifacts, bridge: null }), {
    network: name,
    onEvent: (e) => deps.emit(e),
    shouldStop: () => deps.shouldStop(),
    ...(deps.afterStep ? { afterStep: deps.afterStep } : {})
  })
  // Done or rolled back, dnsmasq was started again: the journal names the one that runs now.
  const pid = readPidfile(np.pidfile)
  writeRecord(deps.paths.journal(name), {
    ...record.record,
    dnsmasq: { pid, startTime: pid === null ? null : processStartTime(pid) }
  })
  if (!out.ok && out.interrupted)
    throw new HelperError('INTERRUPTED', `following the uplink on network ${name} was interrupted by a signal`, {
      rollbackErrors: out.rollbackErrors
    })
  if (!out.ok) {
    const tail = out.leftSomething
      ? '; some rollback commands failed too: run guestnet reconcile'
      : '; dnsmasq runs with the old MTU'
    throw new HelperError(
      'STEP_FAILED',
      `following the uplink on network ${name} failed: ${messageOf(out.error)}${tail}`,
      {
        rollbackErrors: out.rollbackErrors
      }
    )
  }
  const what = (m: number | null): string => (m === null ? 'nothing (1500)' : `MTU ${m}`)
  return {
    network: name,
    announced,
    previous,
    source,
    changed: true,
    dnsmasqPid: pid,
    message: `network ${name} now announces ${what(announced)} instead of ${what(previous)} (dnsmasq restarted, leases kept)`
  }
}
