/** Where a running network's files live. Pure path arithmetic on the given `PlanPaths`. */
import type { PlanPaths } from '../model/plan'

export interface NetworkPaths {
  /** `${runtimeDir}/${name}`: everything generated for the running network. */
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
  /** `${stateDir}/dnsmasq/${name}.leases`: kept across restarts, so it is not under runtimeDir. */
  leases: string
}

export function networkPaths(paths: PlanPaths, name: string): NetworkPaths {
  const dir = `${paths.runtimeDir}/${name}`
  return {
    dir,
    dnsmasqConf: `${dir}/dnsmasq.conf`,
    hostsfile: `${dir}/hostsfile`,
    addnhosts: `${dir}/addnhosts`,
    ruleset: `${dir}/ruleset.nft`,
    pidfile: `${dir}/dnsmasq.pid`,
    ipBatch: `${dir}/ip.batch`,
    ip6Batch: `${dir}/ip6.batch`,
    leases: `${paths.stateDir}/dnsmasq/${name}.leases`
  }
}
