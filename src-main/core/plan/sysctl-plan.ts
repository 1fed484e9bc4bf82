/**
 * Which kernel settings a network needs: the bridge's own IPv6 switches, global forwarding, and
 * accept_ra=2 on uplinks that learn their IPv6 routes from router advertisements (with forwarding
 * on, the kernel ignores RAs on interfaces where accept_ra is 1, and the host would lose its own
 * IPv6 default route when it expires; libvirt refuses to start in that case, we fix it).
 */
import type { HostFacts } from '../model/host-facts'
import type { NetworkShape } from './network-shape'
import { wantsLanIpv6 } from '../model/uplink-mode'

export type Sysctl = [key: string, value: string]

/**
 * `net.ipv6.conf.<ifname>.<leaf>`. An interface name with a dot (a VLAN such as `eth0.100`) cannot be
 * written in dotted form, so such keys use sysctl(8)'s slash form: `net/ipv6/conf/eth0.100/accept_ra`.
 */
export function ipv6ConfKey(ifname: string, leaf: string): string {
  return ifname.includes('.') ? `net/ipv6/conf/${ifname}/${leaf}` : `net.ipv6.conf.${ifname}.${leaf}`
}

/** Interfaces holding an IPv6 route learned from a router advertisement (`proto ra`), sorted. */
export function raUplinks(facts: HostFacts | undefined, exclude: string): string[] {
  const devs = new Set<string>()
  for (const route of facts?.routes ?? []) {
    if (route.family === 6 && route.protocol === 'ra' && route.dev && route.dev !== exclude) devs.add(route.dev)
  }
  return [...devs].sort()
}

/** True when the facts show the kernel has no IPv6 at all (booted with ipv6.disable=1: no ::1 either). */
function hostHasNoIpv6(facts: HostFacts | undefined): boolean {
  if (!facts) return false
  return !facts.addresses.some((a) => a.family === 6) && !facts.routes.some((r) => r.family === 6)
}

/** Set on the bridge right after it is created; they vanish with it, so they need no restore. */
export function bridgeSysctls(shape: NetworkShape, facts: HostFacts | undefined): Sysctl[] {
  const br = shape.bridge
  if (shape.bridgeIpv6 && !hostHasNoIpv6(facts)) {
    return [
      [ipv6ConfKey(br, 'disable_ipv6'), '0'],
      // Guests must not be able to hand the host a default route with their own RAs (libvirt does the same).
      [ipv6ConfKey(br, 'accept_ra'), '0'],
      // No duplicate address detection for the bridge's own link-local address (its MAC is ours, the
      // link holds only our guests): the kernel sends nothing from a tentative address, so dnsmasq's
      // router advertisements would wait 1–2 s after the first guest appears, and that guest's early
      // router solicitation would go unanswered (it asks again 4 s later). Without DAD, dnsmasq
      // advertises at once and the first guest has its SLAAC address in under 2 s instead of 3–7 s.
      [ipv6ConfKey(br, 'accept_dad'), '0']
    ]
  }
  // No IPv6 on this network (no address, no ipv6='yes'): keep the host off IPv6 on the bridge
  // entirely, as libvirt does — otherwise it would autoconfigure from a guest's RA. Skipped when the
  // kernel has no IPv6 (the key is absent).
  return hostHasNoIpv6(facts) ? [] : [[ipv6ConfKey(br, 'disable_ipv6'), '1']]
}

/** Host-wide settings, restored when the network stops; accept_ra before forwarding is switched on. */
export function hostSysctls(shape: NetworkShape, facts: HostFacts | undefined): Sysctl[] {
  if (shape.isolated) return []
  const out: Sysctl[] = []
  if (shape.ipv4.length > 0) out.push(['net.ipv4.ip_forward', '1'])
  if (shape.ipv6.length > 0) {
    for (const dev of raUplinks(facts, shape.bridge)) out.push([ipv6ConfKey(dev, 'accept_ra'), '2'])
    // ipv6='lan': the kernel answers for the guests' addresses in its proxy table, on whichever uplink.
    if (wantsLanIpv6(shape.def)) out.push(['net.ipv6.conf.all.proxy_ndp', '1'])
    out.push(['net.ipv6.conf.all.forwarding', '1'])
  }
  return out
}
