/**
 * buildPlan: a network definition (plus host facts and paths) in, the privileged steps out.
 * Pure and deterministic: same input, same plan, byte for byte — the helper rebuilds the plan
 * itself and the GUI's copy is for display.
 *
 * Steps, in libvirt's start order (networkStartNetworkVirtual), each with its exact undo:
 *   files     write the generated files             remove them
 *   bridge    create, address and raise the bridge  delete the bridge
 *   span      a spanning network's VXLAN port        delete it (span-plan.ts)
 *   firewall  load the network's nft table           delete the table
 *   zone      the bridge into its firewalld zone     take it out again (only when firewalld runs)
 *   sysctls   forwarding (+ accept_ra=2 on uplinks)  restore the old values
 *   dnsmasq   start it (it daemonizes once bound)   kill it by its pid file
 */
import { announcedUplinkMtu, guestMtu } from '../host/uplink-mtu'
import type { HostFacts } from '../model/host-facts'
import type { NetworkDef } from '../model/network'
import type { Argv, NftTableRef, Plan, PlanPaths, PlanStep } from '../model/plan'
import { ownerMark, SYSTEM_STORE } from '../store/store-id'
import type { DnsmasqUser } from './dnsmasq-conf'
import { DEFAULT_DNSMASQ_USER, renderDnsmasqConf } from './dnsmasq-conf'
import { renderAddnHosts, renderDhcpHostsfile } from './dnsmasq-hosts'
import { renderIpBatches } from './ip-batch'
import type { NetworkPaths } from './network-paths'
import { networkPaths } from './network-paths'
import type { NetworkShape } from './network-shape'
import { analyseNetwork } from './network-shape'
import { nftTableNameProblem } from './nft-names'
import type { PortIsolation } from './nft-extras'
import { hasIsolatedPorts, nftTablesOf, renderNftRuleset } from './nft-ruleset'
import { PlanError } from './plan-error'
import { chooseZone } from './firewalld-zone'
import { lanAddressLine, lanPlanOf } from './lan-plan'
import { wantsLanIpv6 } from '../model/uplink-mode'
import { spanOf } from './nft-span'
import { spanStep, withSpanMtu } from './span-plan'
import { vxlanMtu } from '../host/underlay'
import type { GuestAddresses } from '../forward/resolve-forwards'
import type { Sysctl } from './sysctl-plan'
import { bridgeSysctls, hostSysctls } from './sysctl-plan'

export interface PlanContext {
  paths: PlanPaths
  hostFacts?: HostFacts
  /** The owner mark of the store the network belongs to (default: the system store's). */
  owner?: string
  /** Account dnsmasq drops to; default nobody/nogroup (see detectDnsmasqUser). */
  dnsmasqUser?: DnsmasqUser
  /** firewalld's zones when it runs; absent or null: it does not (firewalld-zone.ts). */
  firewalldZones?: readonly string[] | null
  /** How isolated ports are enforced (nft-ruleset.ts): default 'nft'. */
  portIsolation?: PortIsolation
  /** The guests' addresses the host sees, for port forwards to a MAC (none: those wait). */
  guests?: GuestAddresses
}

/** Artifact keys, in the order the files step writes them. */
export const ARTIFACT_KEYS = ['ip.batch', 'ip6.batch', 'nft', 'dnsmasq.conf', 'hostsfile', 'addnhosts'] as const
export type ArtifactKey = (typeof ARTIFACT_KEYS)[number]

const ARTIFACT_PATH: Record<ArtifactKey, (p: NetworkPaths) => string> = {
  'ip.batch': (p) => p.ipBatch,
  'ip6.batch': (p) => p.ip6Batch,
  nft: (p) => p.ruleset,
  'dnsmasq.conf': (p) => p.dnsmasqConf,
  hostsfile: (p) => p.hostsfile,
  addnhosts: (p) => p.addnhosts
}

/** Where an artifact of a plan is written. */
export function artifactPath(paths: NetworkPaths, key: ArtifactKey): string {
  return ARTIFACT_PATH[key](paths)
}

function filesStep(artifacts: Record<string, string>, paths: NetworkPaths): PlanStep {
  const keys = ARTIFACT_KEYS.filter((k) => k in artifacts)
  return {
    id: 'files',
    title: `Write ${keys.length} generated files to ${paths.dir}`,
    apply: keys.map((k) => ['@write', ARTIFACT_PATH[k](paths), k]),
    rollback: keys.map((k) => ['@remove', ARTIFACT_PATH[k](paths)]).reverse()
  }
}

const sysctlArgv = ([key, value]: Sysctl): Argv => ['@sysctl', key, value]
const bridgeSysctlArgv = ([key, value]: Sysctl): Argv => ['@sysctl-bridge', key, value]

/** How each piece is undone: the same built-ins whether the undo comes from a plan or from a journal. */
export const undoBridge = (bridge: string): Argv => ['@delete-bridge', bridge]
export const undoTable = (t: NftTableRef): Argv => ['@delete-table', t.family, t.name]
export const undoDnsmasq = (pidfile: string, startTime?: number | null): Argv[] => [
  ['@kill-dnsmasq', pidfile, ...(startTime !== undefined && startTime !== null ? [String(startTime)] : [])],
  ['@remove', pidfile]
]
export const undoSysctl = (key: string): Argv => ['@sysctl-restore', key]
export const undoZone = (bridge: string, zone: string): Argv => ['@firewalld-unzone', bridge, zone]

/** The kernel's per-port flag on the ports the bridge has now; later ones get it from the guardian. */
function portsStep(bridge: string): PlanStep {
  return {
    id: 'ports',
    title: `Isolate the ports of ${bridge} from each other`,
    apply: [['@isolate-ports', bridge]],
    // The flag goes with the port when the bridge is deleted.
    rollback: [],
    after: ['bridge']
  }
}

function zoneStep(bridge: string, zone: string): PlanStep {
  return {
    id: 'zone',
    title: `Put bridge ${bridge} in firewalld zone ${zone}`,
    apply: [['@firewalld-zone', bridge, zone]],
    rollback: [undoZone(bridge, zone)],
    after: ['bridge']
  }
}

function bridgeStep(shape: NetworkShape, paths: NetworkPaths, sysctls: Sysctl[], twoBatches: boolean): PlanStep {
  const apply: Argv[] = [['ip', '-batch', paths.ipBatch], ...sysctls.map(bridgeSysctlArgv)]
  if (twoBatches) apply.push(['ip', '-batch', paths.ip6Batch])
  return {
    id: 'bridge',
    title: `Create bridge ${shape.bridge} (STP off), add its addresses, bring it up`,
    apply,
    // The bridge's own sysctls disappear with it.
    rollback: [undoBridge(shape.bridge)],
    after: ['files']
  }
}

/** The firewall loads while the bridge is made: its rules name the bridge, nft needs nothing the bridge step makes. */
function firewallStep(tables: NftTableRef[], paths: NetworkPaths): PlanStep {
  return {
    id: 'firewall',
    title: `Load firewall table${tables.length > 1 ? 's' : ''} ${tables.map((t) => `${t.family} ${t.name}`).join(', ')}`,
    apply: [['nft', '-f', paths.ruleset]],
    rollback: tables.map(undoTable),
    after: ['files']
  }
}

/** Forwarding is switched on only once the firewall is loaded and the bridge is there. */
function sysctlsStep(sysctls: Sysctl[]): PlanStep {
  return {
    id: 'sysctls',
    title: `Set ${sysctls.map(([k, v]) => `${k}=${v}`).join(', ')}`,
    apply: sysctls.map(sysctlArgv),
    rollback: sysctls.map(([key]) => undoSysctl(key)).reverse(),
    after: ['files', 'bridge', 'firewall']
  }
}

function dnsmasqStep(shape: NetworkShape, paths: NetworkPaths): PlanStep {
  return {
    id: 'dnsmasq',
    title: `Start dnsmasq (DHCP, DNS, router advertisements${shape.tftp ? ', TFTP' : ''})`,
    apply: [['dnsmasq', `--conf-file=${paths.dnsmasqConf}`]],
    rollback: undoDnsmasq(paths.pidfile),
    // dnsmasq needs its files and the bridge with its addresses, not the firewall.
    after: ['files', 'bridge']
  }
}

/**
 * A host-bridge network (`<forward mode='bridge'>`): guests join a bridge the host already has, so
 * there is nothing to make and nothing to undo. Starting it only records it (the helper checks that
 * the bridge is there and is not one of guestnet's).
 */
function hostBridgePlan(def: NetworkDef, owner: string): Plan {
  const bridge = def.bridge?.name
  if (!bridge)
    throw new PlanError(
      'bridge.name',
      'a host-bridge network needs the name of the bridge its guests join',
      "add <bridge name='br0'/>"
    )
  return {
    network: def.name,
    bridge,
    owner,
    tables: [],
    steps: [],
    artifacts: {},
    dnsmasqConf: '',
    nftRuleset: '',
    sysctls: {}
  }
}

export function buildPlan(given: NetworkDef, ctx: PlanContext): Plan {
  const tableProblem = nftTableNameProblem(given.name)
  if (tableProblem) throw new PlanError('name', tableProblem, 'choose a shorter network name')
  const owner = ctx.owner ?? ownerMark(SYSTEM_STORE, given.name)
  if (given.forward.mode === 'bridge') return hostBridgePlan(given, owner)
  const def = withSpanMtu(given, ctx.hostFacts)
  const shape = analyseNetwork(def)
  const paths = networkPaths(ctx.paths, def.name)

  const artifacts: Record<string, string> = {}
  const lan = lanPlanOf(def, ctx.hostFacts)
  const batches = renderIpBatches(shape, owner, lan ? [lanAddressLine(lan, shape.bridge)] : [])
  artifacts['ip.batch'] = batches.link
  if (batches.addresses !== null) artifacts['ip6.batch'] = batches.addresses
  const isolation = ctx.portIsolation ?? 'nft'
  const tables = nftTablesOf(shape, isolation).map((t): NftTableRef => {
    const [family, name] = t.split(' ')
    return { family, name }
  })
  const nftRuleset =
    tables.length > 0
      ? renderNftRuleset(shape, owner, { hostFacts: ctx.hostFacts, portIsolation: isolation, guests: ctx.guests })
      : ''
  if (tables.length > 0) artifacts.nft = nftRuleset
  let dnsmasqConf = ''
  if (shape.needsDnsmasq) {
    dnsmasqConf = renderDnsmasqConf(shape, {
      paths,
      user: ctx.dnsmasqUser ?? DEFAULT_DNSMASQ_USER,
      uplinkMtu: announcedUplinkMtu(guestMtu(def, ctx.hostFacts))
    })
    artifacts['dnsmasq.conf'] = dnsmasqConf
    // Both always exist while dnsmasq runs (empty if need be), so hosts can be added at run time.
    artifacts.hostsfile = renderDhcpHostsfile(shape.dhcp4, shape.dhcp6)
    const reservations = [shape.dhcp4, shape.dhcp6].flatMap((b) => b?.ip.dhcp?.hosts ?? [])
    artifacts.addnhosts = renderAddnHosts(def.dns?.hosts ?? [], reservations)
  }

  const onBridge = bridgeSysctls(shape, ctx.hostFacts)
  const onHost = hostSysctls(shape, ctx.hostFacts)
  const steps: PlanStep[] = [
    filesStep(artifacts, paths),
    bridgeStep(shape, paths, onBridge, batches.addresses !== null)
  ]
  const span = spanOf(shape)
  if (span) steps.push(spanStep(span, shape.bridge, owner, vxlanMtu(ctx.hostFacts, span.underlay)))
  if (tables.length > 0) steps.push(firewallStep(tables, paths))
  if (hasIsolatedPorts(shape) && isolation === 'kernel') steps.push(portsStep(shape.bridge))
  const { zone } = chooseZone(def, ctx.firewalldZones ?? null)
  if (zone !== null) steps.push(zoneStep(shape.bridge, zone))
  if (onHost.length > 0) steps.push(sysctlsStep(onHost))
  if (shape.needsDnsmasq) steps.push(dnsmasqStep(shape, paths))

  return {
    network: def.name,
    bridge: shape.bridge,
    owner,
    tables,
    steps,
    artifacts,
    dnsmasqConf,
    nftRuleset,
    sysctls: Object.fromEntries([...onBridge, ...onHost]),
    ...(wantsLanIpv6(def)
      ? {
          lan: lan && { dev: lan.dev, prefix: lan.prefix, router: lan.router, bridgeAddress: lan.bridgeAddress }
        }
      : {})
  }
}
