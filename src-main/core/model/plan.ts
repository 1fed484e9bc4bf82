/**
 * The plan of privileged steps for one network: a pure function of (definition, host facts, paths)
 * builds it (`core/plan/build-plan.ts`); the helper applies it step by step and rolls back on failure.
 *
 * Every command is an argv array, never a shell string. Commands whose argv[0] starts with `@` are
 * built-in actions the helper performs itself (no program is run):
 *   ['@write', PATH, ARTIFACT]      write artifact ARTIFACT (a key of `Plan.artifacts`) to PATH, atomically
 *   ['@remove', PATH]               remove PATH if it exists
 *   ['@sysctl', KEY, VALUE]         write VALUE to /proc/sys/KEY (dots become slashes), recording the old
 *                                   value in the namespace's sysctl ledger (helper/state/ns-ledger.ts)
 *   ['@sysctl-reassert', KEY, VALUE] the guardian: write VALUE again, only if the ledger lists this network
 *                                   as holding KEY at VALUE (the ledger, its original included, unchanged)
 *   ['@sysctl-restore', KEY]        leave the ledger; the last guestnet network of the namespace puts the old value back
 *   ['@sysctl-bridge', KEY, VALUE]  a sysctl of the network's own bridge (gone with it: no ledger)
 *   ['@delete-bridge', NAME]        delete the bridge if it is this network's (guestnet's group and owner mark)
 *   ['@delete-vxlan', NAME]         delete a spanning network's VXLAN port gnvxN if it is this network's (same marks)
 *   ['@delete-table', FAMILY, NAME] delete the nft table if its comment is this network's owner mark
 *   ['@kill-dnsmasq', PIDFILE, T?]  stop the pid file's process if it is the dnsmasq of this network's
 *                                   config (its executable, command line and, with T, its start time)
 *   ['@hup-dnsmasq', PIDFILE, T]    SIGHUP that same checked dnsmasq (start time T required): it re-reads
 *                                   its hostsfile and addn-hosts, keeping its pid and leases
 *   ['@isolate-ports', BR]          the kernel's isolated flag on every port of the network's own bridge BR
 *   ['@firewalld-zone', BR, ZONE]   put the network's own bridge BR in firewalld zone ZONE (runtime)
 *   ['@firewalld-unzone', BR, ZONE] take BR out of ZONE if it is still there; nothing when firewalld is gone
 *   ['@proxy-ndp', UP, ADDR]        ipv6='lan': route ADDR/128 to the network's bridge, answer for it on UP
 *   ['@unproxy-ndp', UP, ADDR]      remove both again (core/plan/lan-proxy.ts)
 * Every other argv[0] is a program name looked up in a fixed list (ip, nft, dnsmasq, dbus-send).
 */

export type Argv = string[]

export interface PlanStep {
  id: string
  title: string
  apply: Argv[]
  rollback: Argv[]
  /**
   * The ids of the earlier steps this one needs: it starts as soon as those are done, alongside
   * whatever else runs. Absent: it waits for every step before it.
   */
  after?: string[]
}

/** One step's undo: its commands run in order; a list of them runs last-applied first. */
export interface UndoStep {
  step: string
  title: string
  commands: Argv[]
}

/** An nft table a plan loads: `inet guestnet_lab`. */
export interface NftTableRef {
  family: string
  name: string
}

export interface PlanPaths {
  /** Directory for generated files of running networks, e.g. `/run/guestnet`. */
  runtimeDir: string
  /** Directory for leases and other state, e.g. `/var/lib/guestnet`. */
  stateDir: string
}

export interface Plan {
  network: string
  bridge: string
  /** The owner mark on the bridge (alias) and tables (comment): core/store/store-id.ts. */
  owner: string
  /** The nft tables the ruleset creates, each deleted only if it bears `owner`. */
  tables: NftTableRef[]
  steps: PlanStep[]
  /** Generated file contents, by artifact key (`dnsmasq.conf`, `hostsfile`, `addnhosts`, `nft`). */
  artifacts: Record<string, string>
  dnsmasqConf: string
  nftRuleset: string
  /** sysctl key → value that this network needs (`net.ipv4.ip_forward` → `1`, …). */
  sysctls: Record<string, string>
  /**
   * `ipv6='lan'` networks only: the uplink prefix the plan announces (null: the uplink has none, the
   * guests keep the network's own IPv6). Absent on every other network.
   */
  lan?: PlanLan | null
}

/** The uplink's prefix an `ipv6='lan'` plan uses (core/plan/lan-plan.ts). */
export interface PlanLan {
  dev: string
  prefix: string
  router: string | null
  bridgeAddress: string
}
