/**
 * The plan of privileged steps for one network: a pure function of (definition, host facts, paths)
 * builds it (`core/plan/build-plan.ts`); the helper applies it step by step and rolls back on failure.
 *
 * Every command is an argv array, never a shell string. Commands whose argv[0] starts with `@` are
 * built-in actions the helper performs itself (no program is run):
 *   ['@write', PATH, ARTIFACT]      write artifact ARTIFACT (a key of `Plan.artifacts`) to PATH, atomically
 *   ['@remove', PATH]               remove PATH if it exists
 *   ['@sysctl', KEY, VALUE]         write VALUE to /proc/sys/KEY (dots become slashes), remembering the old value
 *   ['@sysctl-restore', KEY]        put back the value remembered by `@sysctl`
 *   ['@kill-pidfile', PATH]         SIGTERM the process whose pid is in PATH (if it is the dnsmasq we started)
 * Every other argv[0] is a program name looked up in a fixed list (ip, nft, dnsmasq).
 */

export type Argv = string[]

export interface PlanStep {
  id: string
  title: string
  apply: Argv[]
  rollback: Argv[]
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
  steps: PlanStep[]
  /** Generated file contents, by artifact key (`dnsmasq.conf`, `hostsfile`, `addnhosts`, `nft`). */
  artifacts: Record<string, string>
  dnsmasqConf: string
  nftRuleset: string
  /** sysctl key → value that this network needs (`net.ipv4.ip_forward` → `1`, …). */
  sysctls: Record<string, string>
}
