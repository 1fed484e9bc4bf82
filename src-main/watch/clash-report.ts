/**
 * Which guestnet networks overlap a host network now, with a free range to move each to, and
 * which of those are news since the last look. Used by `guestnet watch` and the app. Pure.
 *
 * Our own bridges are not host networks: the bridges of running guestnet networks are ignored (a
 * bridge of the same name that guestnet did not start, libvirt's virbr0 say, is not ignored: its
 * subnet is a real clash for an inactive network of ours that wants it).
 */
import type { Clash } from '../core/host/clash'
import { findClashes } from '../core/host/clash'
import type { HostFacts } from '../core/model/host-facts'
import type { NetworkDef } from '../core/model/network'
import { formatCidr } from '../core/net/cidr'
import { subnetOfIp } from '../core/renumber/renumber-network'
import { suggestRenumberTarget } from '../core/renumber/renumber-target'

export interface WatchedNetwork {
  def: NetworkDef
  active: boolean
}

export interface NetworkClash {
  network: string
  active: boolean
  bridge: string | null
  /** Our subnet that overlaps (`192.168.122.0/24`). */
  subnet: string
  clashes: Clash[]
  /** A free IPv4 subnet to renumber to (only for IPv4 clashes), or null. */
  suggestion: string | null
}

/** Bridges of our running networks: their addresses and routes are ours, not the host's. */
export function ownBridges(networks: readonly WatchedNetwork[]): string[] {
  return networks.flatMap((n) => (n.active && n.def.bridge?.name ? [n.def.bridge.name] : []))
}

export function findNetworkClashes(
  networks: readonly WatchedNetwork[],
  facts: HostFacts,
  pool?: readonly string[]
): NetworkClash[] {
  const ignoreDevs = ownBridges(networks)
  const out: NetworkClash[] = []
  for (const n of networks) {
    for (const ip of n.def.ips) {
      const subnet = subnetOfIp(ip)
      if (!subnet) continue
      const clashes = findClashes(subnet, facts, { ignoreDevs })
      if (clashes.length === 0) continue
      const others = networks.filter((o) => o !== n).map((o) => o.def)
      const target =
        subnet.family === 4 ? suggestRenumberTarget(n.def, { facts, others, ...(pool ? { pool } : {}) }) : null
      out.push({
        network: n.def.name,
        active: n.active,
        bridge: n.def.bridge?.name ?? null,
        subnet: formatCidr(subnet),
        clashes,
        suggestion: target ? formatCidr(target) : null
      })
    }
  }
  return out
}

/** A clash in a sentence: `network default (192.168.122.0/24) overlaps 192.168.122.0/24 on wlan0 (address …); move it to 10.122.0.0/24`. */
export function describeNetworkClash(c: NetworkClash): string {
  const what = c.clashes.map((x) => x.message.replace(`${c.subnet} overlaps `, '')).join('; ')
  const move = c.suggestion
    ? `: renumber it to ${c.suggestion} (guestnet net-renumber ${c.network})`
    : ': no free range to move it to'
  return `network ${c.network} (${c.subnet}) overlaps ${what}${move}`
}

function signature(c: NetworkClash): string {
  return `${c.subnet}|${c.clashes.map((x) => `${x.other}|${x.dev ?? ''}|${x.table}|${x.kind}`).join(',')}`
}

export interface ClashTransitions {
  /** New clashes, and clashes whose other side changed. */
  appeared: NetworkClash[]
  /** `network|subnet` keys whose clash is gone. */
  resolved: { network: string; subnet: string }[]
}

/** Remembers the clashes seen last and says what is news: a clash is announced once, not at every change. */
export class ClashTracker {
  private seen = new Map<string, string>()

  update(current: readonly NetworkClash[]): ClashTransitions {
    const next = new Map<string, string>()
    const appeared: NetworkClash[] = []
    for (const c of current) {
      const key = `${c.network}|${c.subnet}`
      const sig = signature(c)
      next.set(key, sig)
      if (this.seen.get(key) !== sig) appeared.push(c)
    }
    const resolved = [...this.seen.keys()]
      .filter((k) => !next.has(k))
      .map((k) => {
        const [network, subnet] = k.split('|')
        return { network, subnet }
      })
    this.seen = next
    return { appeared, resolved }
  }
}
