/**
 * A peer added to or deleted from a running spanning network: its all-zero entry on the VXLAN port
 * (the flood list) and the table that admits VXLAN from the peers, in one transaction on the plan
 * executor. The table part is the port forwards' (forward-live.ts: only the table may differ, so the
 * network must run the stored definition); dnsmasq, the bridge and the guests are not touched.
 */
import type { PlanStep } from '../../core/model/plan'
import type { Span } from '../../core/model/span'
import { vxlanName } from '../../core/model/span'
import { peerFdbArgv } from '../../core/plan/span-plan'
import { removePathSync } from '../../store/safe-fs'
import { applyPlan } from '../apply-plan'
import type { OpsDeps } from './deps'
import type { PreparedForwards } from './forward-live'
import { liveFailure } from './running-network'

export function peerStep(span: Span, peer: string, op: 'add' | 'del'): PlanStep {
  const vx = vxlanName(span)
  const add = peerFdbArgv(vx, peer, 'append')
  const del = peerFdbArgv(vx, peer, 'del')
  return {
    id: 'span',
    title: `${op === 'add' ? 'Flood to' : 'Stop flooding to'} peer ${peer} on ${vx}`,
    apply: [op === 'add' ? add : del],
    rollback: [op === 'add' ? del : add]
  }
}

/** The table (when it changes) and the flood entry as one transaction: done, or rolled back and a HelperError. */
export async function runLivePeer(prepared: PreparedForwards, step: PlanStep, deps: OpsDeps): Promise<void> {
  const { network, plan, bridge } = prepared
  const steps = [...plan.steps, step]
  const out = await applyPlan(steps, deps.runnerFor(network, { artifacts: plan.artifacts, bridge }), {
    network,
    onEvent: (e) => deps.emit(e),
    shouldStop: () => deps.shouldStop(),
    ...(deps.afterStep ? { afterStep: deps.afterStep } : {})
  })
  for (const f of plan.scratch) removePathSync(f)
  const failure = liveFailure(out, `changing network ${network}'s peers`, 'the running network keeps its old peers')
  if (failure) throw failure
}
