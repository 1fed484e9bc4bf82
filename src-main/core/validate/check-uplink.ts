/**
 * `<gn:uplink>`: only the modes guestnet builds, and `ipv6='lan'` only where it means something: a
 * NAT network (IPv4 stays NATed) with an IPv6 `<ip>` of its own, which is what guests keep when the
 * uplink has no prefix (offline, or a link without router advertisements), and no NAT66.
 */
import type { NetworkDef } from '../model/network'
import { BUILT_UPLINK_MODES } from '../model/uplink-mode'
import type { Problems } from './problems'

const PATH = 'metadata.uplink'

export function checkUplink(def: NetworkDef, p: Problems): void {
  const mode = def.guestnet?.uplink
  if (mode === undefined) return
  if (mode.ipv6 !== undefined && !BUILT_UPLINK_MODES.ipv6.includes(mode.ipv6))
    p.add(
      `${PATH}.ipv6`,
      `ipv6='${mode.ipv6}' is not built yet (DHCPv6 prefix delegation)`,
      "use ipv6='lan' (the uplink's own /64, reached by proxy neighbour discovery) or remove ipv6="
    )
  if (mode.ipv4 !== undefined && !BUILT_UPLINK_MODES.ipv4.includes(mode.ipv4))
    p.add(
      `${PATH}.ipv4`,
      `ipv4='${mode.ipv4}' is not built yet (IPv4 addresses from the LAN)`,
      'remove ipv4=: IPv4 stays on the NAT network'
    )
  if (mode.ipv6 !== 'lan') return
  if (def.forward.mode !== 'nat')
    p.add(
      `${PATH}.ipv6`,
      `ipv6='lan' needs a NAT network (this one is forward mode '${def.forward.mode}')`,
      "use <forward mode='nat'/>, or remove <gn:uplink>"
    )
  if (def.forward.nat?.ipv6 === true)
    p.add(
      `${PATH}.ipv6`,
      "ipv6='lan' gives guests routed LAN addresses, which NAT66 (<nat ipv6='yes'>) would hide",
      "remove ipv6='yes' from <nat>, or remove <gn:uplink>"
    )
  if (!def.ips.some((ip) => ip.family === 'ipv6'))
    p.add(
      `${PATH}.ipv6`,
      "ipv6='lan' needs an IPv6 <ip> on the network: guests keep it when the uplink has no prefix",
      "add <ip family='ipv6' address='fdXX:…::1' prefix='64'/> (a ULA), or remove <gn:uplink>"
    )
}
