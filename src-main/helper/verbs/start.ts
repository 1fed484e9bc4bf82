/**
 * start: rebuild the plan from the stored definition (re-validated against the other networks and
 * the live host) and apply it as a transaction. A network already active is a no-op; leftovers of
 * this network (an interrupted start, a broken journal, a dnsmasq or bridge of ours) are repaired
 * first, as reconcile would.
 */
import { lstatSync } from 'node:fs'

import { ownerMark } from '../../core/store/store-id'
import { networkFile } from '../../core/store/store-layout'
import { readRecord } from '../state/journal'
import { ledgerProblems } from './status'
import type { HelperValue } from '../../contract/helper-protocol'
import { readTextNoFollow } from '../../store/safe-fs'
import { guestAddresses } from '../../core/forward/seen-addresses'
import { buildPlan } from '../../core/plan/build-plan'
import { detectDnsmasqUser } from '../../core/plan/dnsmasq-user'
import { networkPaths } from '../../core/plan/network-paths'
import { PlanError } from '../../core/plan/plan-error'
import { validateNetwork } from '../../core/validate/validate-network'
import { realDnsmasqReach } from '../ops/dnsmasq-reach'
import { assertHostBridgeUsable } from '../ops/host-bridge-check'
import { checkTftpRoots } from '../ops/tftp-root-check'
import { readUserDb } from '../../host/user-db'
import { chooseZone } from '../../core/plan/firewalld-zone'
import { firewalldZones } from '../run/firewalld-bus'
import { portIsolationHere } from '../run/kernel-probe'
import { SYSTEM_PROGRAMS } from '../run/exec-program'
import { applyStart, bridgeTakenError } from '../ops/start-network'
import { HelperError } from '../../contract/helper-protocol'
import { loadDefinitions } from '../state/definitions'
import { mark } from '../../diagnostics/timing'
import type { VerbContext } from './context'
import { resolvedAfterStart } from './start-resolved'
import { invalidDefinition, notFound, requireOk } from './context'

export type StartResult = HelperValue<'start'>

/** Reservations or host names dnsmasq will have to read after dropping root. */
function hasHostFiles(artifacts: Readonly<Record<string, string>>): boolean {
  return (artifacts.hostsfile ?? '').trim() !== '' || (artifacts.addnhosts ?? '').trim() !== ''
}

/** Whether anything (a link too) is at `path`. */
function existsNoFollow(path: string): boolean {
  try {
    return lstatSync(path) !== null
  } catch {
    return false
  }
}

export async function startNetwork(
  ctx: VerbContext<'start' | 'apply' | 'autostart-all'>,
  name: string
): Promise<StartResult> {
  const { deps } = ctx
  mark('start')
  // An unknown name is refused before anything is read or cached: a refusal changes nothing.
  if (!existsNoFollow(networkFile(deps.paths.layout, name))) throw notFound(name)
  // The stored definitions without the XML parser when they did not change (state/definitions.ts).
  const definitions = loadDefinitions({
    layout: deps.paths.layout,
    cacheFile: deps.paths.definitionsCache,
    uid: process.getuid?.() ?? 0
  })
  const [entries, facts, zones] = await Promise.all([definitions, ctx.hostFacts(), firewalldZones(SYSTEM_PROGRAMS)])
  mark('listed+facts')
  const entry = requireOk(entries, name)
  const def = entry.def
  const bridge = def.bridge?.name
  // A host-bridge network's bridge is the host's: its presence is expected, never a leftover of ours.
  const hostBridge = def.forward.mode === 'bridge'
  const ownBridge = hostBridge ? undefined : bridge

  // Cheap signs of an earlier life: only then look closer (nft, ip) and repair. A link, not a
  // file, counts too: a record that does not read is a trace, never taken as absent.
  const traces =
    existsNoFollow(deps.paths.journal(name)) ||
    existsNoFollow(deps.paths.intent(name)) ||
    existsNoFollow(networkPaths(deps.paths.plan, name).pidfile) ||
    ledgerProblems(deps).length > 0 ||
    (ownBridge !== undefined && deps.interfaces().has(ownBridge))
  let repaired: string[] = []
  if (traces) {
    const defs = entries.flatMap((e) => (e.state === 'ok' ? [e.def] : []))
    // Loaded only here: a clean start never needs the repair code.
    const { reconcile } = await import('../ops/reconcile-run')
    const report = await reconcile(deps, defs, name)
    if (report.failed.length > 0) {
      throw new HelperError(
        'STOP_INCOMPLETE',
        `network ${name} has leftovers that could not be cleaned up: ${report.failed.join('; ')}`,
        {
          fix: 'see the messages; guestnet reconcile retries'
        }
      )
    }
    if (report.active.includes(name)) {
      const j = readRecord(deps.paths.journal(name), { network: name, store: deps.store })
      const pid = j?.ok ? (j.record.dnsmasq?.pid ?? null) : null
      return {
        network: name,
        bridge: bridge ?? '',
        state: 'active',
        alreadyActive: true,
        dnsmasqPid: pid,
        message: `network ${name} is already active: nothing to do`,
        repaired: []
      }
    }
    repaired = report.repaired
  }
  const owner = ownerMark(deps.store, name)
  if (ownBridge !== undefined && deps.interfaces().has(ownBridge)) throw bridgeTakenError(ownBridge, name, owner, deps)
  if (hostBridge && bridge !== undefined) assertHostBridgeUsable(name, bridge)

  const others = entries.flatMap((e) => (e.state === 'ok' && e.name !== name ? [e.def] : []))
  const problems = validateNetwork(def, { others, hostFacts: facts })
  if (problems.length > 0) throw invalidDefinition(name, problems)
  mark('validated')
  let plan
  let zoneNote: string | null = null
  const db = readUserDb()
  const portIsolation = def.port?.isolated ? await portIsolationHere() : 'nft'
  const portsNote =
    portIsolation === 'kernel'
      ? "this kernel has no nft bridge meta keys: the bridge's ports are isolated by the kernel's per-port flag, and ports that join later by guestnet's service while it runs (guestnet service)"
      : null
  const user = detectDnsmasqUser(db.passwd, db.group)
  try {
    // Port forwards to a MAC go to the guest's last lease (kept across restarts) from the first moment.
    const guests = guestAddresses(readTextNoFollow(deps.paths.leasesFile(name)), null)
    plan = buildPlan(def, {
      paths: deps.paths.plan,
      hostFacts: facts,
      dnsmasqUser: user,
      owner,
      firewalldZones: zones,
      portIsolation,
      guests
    })
    zoneNote = chooseZone(def, zones).note
  } catch (e) {
    if (e instanceof PlanError)
      throw new HelperError('INVALID_DEFINITION', e.message, { field: e.field, ...(e.fix ? { fix: e.fix } : {}) })
    throw e
  }
  mark('planned')
  // The host's side of what the validator checked as text: nothing is changed if it fails.
  if (def.ips.some((ip) => ip.tftp)) checkTftpRoots(def, deps.paths.layout, user, db)
  const value = await applyStart(plan, def.uuid ?? null, deps)
  mark('applied')
  const unreachable = hasHostFiles(plan.artifacts) ? realDnsmasqReach(deps.paths.plan.runtimeDir, user, name, db) : null
  const warnings = [unreachable, zoneNote, portsNote].filter((w): w is string => w !== null)
  return { ...value, repaired, ...(warnings.length > 0 ? { warnings } : {}) }
}

export async function run(ctx: VerbContext<'start'>): Promise<HelperValue<'start'>> {
  const result = await startNetwork(ctx, ctx.args.name)
  // The host resolves guest names through systemd-resolved, when it runs (ops/resolved.ts).
  return result.alreadyActive ? result : { ...result, resolved: await resolvedAfterStart(ctx, result.network) }
}
