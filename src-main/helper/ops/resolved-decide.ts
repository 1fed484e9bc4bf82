/**
 * Registering a running network's DNS server and domain with systemd-resolved, so the host itself
 * resolves guest names (`ssh alpha.lab.test`), the way `resolvectl dns virbr0 192.168.122.1;
 * resolvectl domain virbr0 '~lab.test'` does by hand. Pure: what to run, or why not.
 *
 * When: the network has a `<domain>` (a name guests are known by), DNS is on, and the bridge has
 * an address to serve DNS on. The domain is registered as a routing-only domain (`~lab.test`) and
 * the link is not made a default DNS route, so only queries for the guests' domain go to dnsmasq.
 * Off host-wide with `"resolved": "off"` in host.json. Skipped, with the reason, when systemd-resolved
 * is not running (no `resolvectl`, or no /run/systemd/resolve) and inside a `--netns` namespace (the
 * machine's resolved would act on an interface index of another namespace).
 *
 * Nothing to undo at stop: systemd-resolved forgets a link's settings when the link goes away.
 */
import type { NetworkDef } from '../../core/model/network'
import type { Argv } from '../../core/model/plan'
import { canonicalIp } from '../../core/net/ip'

export type ResolvedSetting = 'auto' | 'off'

export interface ResolvedEnv {
  /** `resolvectl` found (an allowed program path), or null. */
  resolvectl: string | null
  /** /run/systemd/resolve exists: systemd-resolved is running. */
  running: boolean
  /** The `--netns` namespace the helper acts in, or null. */
  netns: string | null
  setting: ResolvedSetting
}

export type ResolvedDecision =
  | { action: 'register'; link: string; servers: string[]; domain: string; commands: Argv[]; message: string }
  | {
      action: 'skip'
      reason: string
      /** True when the user would expect it (the network has a domain). */ notable: boolean
    }

/** Reads host.json's optional `"resolved"` key: `"off"` (or false) turns registration off. */
export function resolvedSetting(hostJson: string | null): ResolvedSetting {
  if (hostJson === null) return 'auto'
  try {
    const v = (JSON.parse(hostJson) as { resolved?: unknown } | null)?.resolved
    return v === 'off' || v === false ? 'off' : 'auto'
  } catch {
    return 'auto'
  }
}

export function decideResolved(def: NetworkDef, env: ResolvedEnv): ResolvedDecision {
  const domain = def.domain?.name
  const link = def.bridge?.name
  const notable = domain !== undefined
  if (!domain)
    return {
      action: 'skip',
      reason: `network ${def.name} has no <domain>: nothing to register with systemd-resolved`,
      notable
    }
  if (def.dns?.enable === false)
    return { action: 'skip', reason: `network ${def.name} has DNS turned off (<dns enable='no'>)`, notable }
  if (!link) return { action: 'skip', reason: `network ${def.name} has no bridge name`, notable }
  if (env.setting === 'off')
    return {
      action: 'skip',
      reason: 'registration with systemd-resolved is turned off in host.json ("resolved": "off")',
      notable
    }
  if (env.netns !== null) {
    return {
      action: 'skip',
      reason: `not registering ${domain} with systemd-resolved from inside network namespace ${env.netns}`,
      notable
    }
  }
  if (!env.resolvectl || !env.running) {
    return {
      action: 'skip',
      reason: `systemd-resolved is not running here (${!env.resolvectl ? 'no resolvectl' : 'no /run/systemd/resolve'}): the host does not resolve *.${domain} by itself; ask the network's DNS server directly (dig @${firstServer(def) ?? 'GATEWAY'} NAME.${domain})`,
      notable
    }
  }
  const servers = def.ips.flatMap((ip) => canonicalIp(ip.address) ?? [])
  if (servers.length === 0)
    return { action: 'skip', reason: `network ${def.name} has no address for a DNS server`, notable }
  const commands: Argv[] = [
    ['resolvectl', 'dns', link, ...servers],
    ['resolvectl', 'domain', link, `~${domain}`],
    ['resolvectl', 'default-route', link, 'false']
  ]
  return {
    action: 'register',
    link,
    servers,
    domain,
    commands,
    message: `registered ${domain} with systemd-resolved: the host resolves *.${domain} through ${servers.join(', ')} on ${link}`
  }
}

function firstServer(def: NetworkDef): string | null {
  return def.ips.find((ip) => ip.family === 'ipv4')?.address ?? def.ips[0]?.address ?? null
}
