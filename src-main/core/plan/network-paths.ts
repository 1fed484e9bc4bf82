/**
 * Where a running network's files live. Pure path arithmetic on the given `PlanPaths`, with the
 * network's key (core/store/network-key.ts) for its name: the paths appear in dnsmasq's config.
 */
import type { PlanPaths } from '../model/plan'
import { networkKey } from '../store/network-key'

export interface NetworkPaths {
  /** `${runtimeDir}/${key}`: everything generated for the running network. */
  dir: string
  dnsmasqConf: string
  hostsfile: string
  addnhosts: string
  ruleset: string
  pidfile: string
  /** Link creation (and, for IPv4-only networks, addresses and link up). */
  ipBatch: string
  /** IPv6 networks only: addresses and link up, run after the bridge's IPv6 sysctls. */
  ip6Batch: string
  /** `${stateDir}/dnsmasq/${key}.leases`: kept across restarts, so it is not under runtimeDir. */
  leases: string
}

export function networkPaths(paths: PlanPaths, name: string): NetworkPaths {
  const key = networkKey(name)
  const dir = `${paths.runtimeDir}/${key}`
  return {
    dir,
    dnsmasqConf: `${dir}/dnsmasq.conf`,
    hostsfile: `${dir}/hostsfile`,
    addnhosts: `${dir}/addnhosts`,
    ruleset: `${dir}/ruleset.nft`,
    pidfile: `${dir}/dnsmasq.pid`,
    ipBatch: `${dir}/ip.batch`,
    ip6Batch: `${dir}/ip6.batch`,
    leases: `${paths.stateDir}/dnsmasq/${key}.leases`
  }
}
