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
import type { Argv, NftTableRef, PlanStep } from '../model/plan'
import type { ArtifactKey } from './build-plan'
import { ARTIFACT_KEYS, artifactPath, undoDnsmasq } from './build-plan'
import type { NetworkPaths } from './network-paths'

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
  /** The network's nft tables (checked to be its own before the renumber), none without a firewall. */
  tables: readonly NftTableRef[]
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

/** The tables deleted and the ruleset loaded (it creates them again) in one atomic `nft -f`. */
export function nftReplace(tables: readonly NftTableRef[], ruleset: string): string {
  return `${tables.map((t) => `delete table ${t.family} ${t.name}\n`).join('')}${ruleset}`
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
    if (!(ARTIFACT_KEYS as readonly string[]).includes(key)) continue
    const path = artifactPath(i.paths, key as ArtifactKey)
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
      apply: undoDnsmasq(i.paths.pidfile).slice(0, 1),
      rollback: [['dnsmasq', conf]]
    })
  }
  let reload: string | null = null
  let restore: string | null = null
  if (i.tables.length > 0 && i.newArtifacts.nft !== undefined) {
    reload = `${i.paths.dir}/renumber.nft`
    restore = `${i.paths.dir}/renumber-undo.nft`
    artifacts['renumber.nft'] = nftReplace(i.tables, i.newArtifacts.nft)
    artifacts['renumber-undo.nft'] = nftReplace(i.tables, i.oldFiles.nft ?? '')
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
  if (reload !== null && restore !== null) {
    steps.push({
      id: 'firewall',
      title: `Replace firewall ${i.tables.map((t) => `${t.family} ${t.name}`).join(', ')} for the new range`,
      apply: [['nft', '-f', reload]],
      rollback: [['nft', '-f', restore]]
    })
  }
  if (i.dnsmasq) {
    steps.push({
      id: 'dnsmasq',
      title: 'Start dnsmasq with the new range (old addresses are refused at renewal)',
      apply: [['dnsmasq', conf]],
      rollback: undoDnsmasq(i.paths.pidfile).slice(0, 1)
    })
  }
  return { steps, artifacts, scratch }
}
