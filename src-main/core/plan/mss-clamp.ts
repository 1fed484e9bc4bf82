/**
 * TCP MSS clamping on the network's forwarded traffic: every SYN and SYN-ACK that crosses our bridge
 * gets its MSS option lowered to what the route it takes can carry (`rt mtu` is the route's MTU minus
 * the IPv4 or IPv6 and TCP headers, 40 or 60 bytes). A guest with MTU 1500 behind an uplink of 1420
 * (WireGuard) or 1280 then never gets segments too large for the path, even where the ICMP
 * "fragmentation needed" that path MTU discovery relies on is dropped (a PMTU black hole). The rule
 * reads the route at each packet, so an uplink change needs no new rule. Pure.
 */
import type { NftFeature } from './nft-extras'

export const mssClamp: NftFeature = (shape) => {
  if (shape.isolated) return {}
  const br = `"${shape.bridge}"`
  return {
    forward: [
      '# TCP MSS follows the route of each connection (the uplink out, the bridge in): no PMTU black holes',
      `iifname ${br} tcp flags syn tcp option maxseg size set rt mtu`,
      `oifname ${br} tcp flags syn tcp option maxseg size set rt mtu`
    ]
  }
}
