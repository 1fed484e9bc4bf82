/**
 * The steps that move a running network to its new subnet, each with its exact undo, run by the
 * same transaction executor as a start (apply-plan.ts). Pure.
 *
 * The bridge is kept, so guests stay attached (their ports are not touched):
 *   dnsmasq-stop  stop dnsmasq                          start it again (with the old files)
 *   files         write the new generated files         write the old ones back
 *   addresses     swap the bridge's addresses           put the old ones back
 *   firewall      replace the nft table, atomically     load the old table, atomically
 *   dnsmasq       start dnsmasq with the new range      stop it
 * The undo of the first steps runs last, so dnsmasq restarts only once the old files are back.
 * The lease file is kept: dnsmasq is authoritative, so a guest asking to renew an old address
 * (outside every range now) gets a DHCPNAK and starts over, and dnsmasq replaces its old lease.
 */
import type { Argv, PlanStep } from '../../core/model/plan'
import type { NetworkPaths } from '../../core/plan/network-paths'

export interface BridgeAddress {
  address: string
  prefix: number
}

export interface RenumberStepsInput {
  bridge: string
  family: 4 | 6
  /** The new addresses of that family, from the new definition. */
  newAddresses: readonly BridgeAddress[]
  /** The addresses of that family the bridge has now (global scope), read live. */
  oldAddresses: readonly BridgeAddress[]
  paths: NetworkPaths
  /** The new plan's artifacts (`dnsmasq.conf`, `nft`, …). */
  newArtifacts: Readonly<Record<string, string>>
  /** What those files hold now, by artifact key (null: no such file). */
  oldFiles: Readonly<Record<string, string | null>>
  /** The network's nft table (`guestnet_lab`), or null when it has no firewall. */
  table: string | null
  /** The network runs dnsmasq. */
  dnsmasq: boolean
}

export interface RenumberSteps {
  steps: PlanStep[]
  /** For the runner's `@write`: the new files, `old:KEY` the current ones, and the two nft reload files. */
  artifacts: Record<string, string>
  /** Files written only for the renumber, removed after it. */
  scratch: string[]
}

/** Where each artifact of a plan lives (build-plan.ts writes the same keys to the same paths). */
export function artifactPath(paths: NetworkPaths, key: string): string | null {
  const map: Record<string, string> = {
    'ip.batch': paths.ipBatch,
    'ip6.batch': paths.ip6Batch,
    nft: paths.ruleset,
    'dnsmasq.conf': paths.dnsmasqConf,
    hostsfile: paths.hostsfile,
    addnhosts: paths.addnhosts
  }
  return Object.hasOwn(map, key) ? map[key] : null
}

/** `table inet T` first, so `delete table` never fails, then the ruleset: one atomic `nft -f`. */
export function nftReplace(table: string, ruleset: string): string {
  return `table inet ${table}\ndelete table inet ${table}\n${ruleset}`
}

function addressArgv(a: BridgeAddress, family: 4 | 6, bridge: string): Argv {
  return family === 4
    ? ['ip', 'addr', 'add', `${a.address}/${a.prefix}`, 'broadcast', '+', 'dev', bridge]
    : ['ip', 'addr', 'add', `${a.address}/${a.prefix}`, 'dev', bridge, 'nodad']
}

function flushArgv(family: 4 | 6, bridge: string): Argv {
  // IPv6: only global addresses; the link-local one stays (router advertisements come from it).
  return family === 4
    ? ['ip', '-4', 'addr', 'flush', 'dev', bridge]
    : ['ip', '-6', 'addr', 'flush', 'dev', bridge, 'scope', 'global']
}

export function renumberSteps(i: RenumberStepsInput): RenumberSteps {
  const artifacts: Record<string, string> = {}
  const apply: Argv[] = []
  const undo: Argv[] = []
  for (const [key, content] of Object.entries(i.newArtifacts)) {
    const path = artifactPath(i.paths, key)
    if (path === null) continue
    artifacts[key] = content
    apply.push(['@write', path, key])
    const old = i.oldFiles[key]
    if (old === null || old === undefined) undo.push(['@remove', path])
    else {
      artifacts[`old:${key}`] = old
      undo.push(['@write', path, `old:${key}`])
    }
  }
  const scratch: string[] = []
  const steps: PlanStep[] = []
  const conf = `--conf-file=${i.paths.dnsmasqConf}`
  if (i.dnsmasq) {
    steps.push({
      id: 'dnsmasq-stop',
      title: 'Stop dnsmasq (it restarts with the new range)',
      apply: [['@kill-pidfile', i.paths.pidfile]],
      rollback: [['dnsmasq', conf]]
    })
  }
  let reload: string | null = null
  let restore: string | null = null
  if (i.table !== null && i.newArtifacts.nft !== undefined) {
    reload = `${i.paths.dir}/renumber.nft`
    restore = `${i.paths.dir}/renumber-undo.nft`
    artifacts['renumber.nft'] = nftReplace(i.table, i.newArtifacts.nft)
    artifacts['renumber-undo.nft'] = nftReplace(i.table, i.oldFiles.nft ?? '')
    apply.push(['@write', reload, 'renumber.nft'], ['@write', restore, 'renumber-undo.nft'])
    undo.push(['@remove', reload], ['@remove', restore])
    scratch.push(reload, restore)
  }
  steps.push({
    id: 'files',
    title: `Write the generated files for the new range to ${i.paths.dir}`,
    apply,
    rollback: undo
  })
  steps.push({
    id: 'addresses',
    title: `Give bridge ${i.bridge} ${i.newAddresses.map((a) => `${a.address}/${a.prefix}`).join(', ')} (guests stay attached)`,
    apply: [flushArgv(i.family, i.bridge), ...i.newAddresses.map((a) => addressArgv(a, i.family, i.bridge))],
    rollback: [flushArgv(i.family, i.bridge), ...i.oldAddresses.map((a) => addressArgv(a, i.family, i.bridge))]
  })
  if (reload !== null && restore !== null && i.table !== null) {
    steps.push({
      id: 'firewall',
      title: `Replace firewall table inet ${i.table} for the new range`,
      apply: [['nft', '-f', reload]],
      rollback: [['nft', '-f', restore]]
    })
  }
  if (i.dnsmasq) {
    steps.push({
      id: 'dnsmasq',
      title: 'Start dnsmasq with the new range (old addresses are refused at renewal)',
      apply: [['dnsmasq', conf]],
      rollback: [['@kill-pidfile', i.paths.pidfile]]
    })
  }
  return { steps, artifacts, scratch }
}
