/**
 * `ipv6='lan'` in the network's table (an NftFeature, nft-features.ts): guests' addresses in the
 * uplink's /64 go out, and only replies and pings come back in (the stateful filter, as for the
 * ULA: a new connection from the LAN to a guest is refused by to_guests' final reject). Every packet from
 * such an address puts it in the `lan_seen` set, the host's list of guests to proxy for: a guest
 * that autoconfigured an address is heard of by its first packet, long before the kernel's
 * neighbour table would name it. The set's elements change by themselves, so the guardian compares
 * listings without them (guardian/observe.ts).
 */
import type { NftExtras, NftFeature } from './nft-extras'
import { LAN_SEEN_SET, LAN_SEEN_TIMEOUT, lanPlanOf } from './lan-plan'

export const lanUplinkRules: NftFeature = (shape, ctx): NftExtras => {
  const lan = lanPlanOf(shape.def, ctx.hostFacts)
  if (!lan) return {}
  const br = `"${shape.bridge}"`
  const seen = `update @${LAN_SEEN_SET} { ip6 saddr }`
  return {
    sets: [`set ${LAN_SEEN_SET} { type ipv6_addr; flags dynamic,timeout; timeout ${LAN_SEEN_TIMEOUT}; }`],
    input: [`iifname ${br} ip6 saddr ${lan.prefix} ${seen}`],
    fromGuests: [
      `# ipv6='lan': the uplink's prefix ${lan.prefix} (via ${lan.dev})`,
      `ip6 saddr ${lan.prefix} ${seen} accept`
    ],
    toGuests: [
      `ip6 daddr ${lan.prefix} ct state established,related accept`,
      // Pings in, as RFC 4890 advises for a stateful filter; every other new connection is refused.
      `ip6 daddr ${lan.prefix} icmpv6 type echo-request accept`
    ]
  }
}
