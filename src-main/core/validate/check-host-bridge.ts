/**
 * `<forward mode='bridge'>` with `<bridge name>`: guests join a bridge the host already has (br0 with
 * the wired NIC in it), on the LAN like any other machine. guestnet makes and changes nothing for
 * such a network, so anything it would have to configure is refused, each with what to do instead.
 */
import type { NetworkDef } from '../model/network'
import type { Problems } from './problems'

const WHERE = "where the host's bridge is configured (NetworkManager, systemd-networkd or /etc/network/interfaces)"

export function checkHostBridge(def: NetworkDef, p: Problems): void {
  if (def.forward.mode !== 'bridge') return
  if (!def.bridge?.name) {
    p.add(
      'bridge.name',
      'a host-bridge network needs the name of the bridge its guests join',
      "add <bridge name='br0'/> naming a bridge the host already has"
    )
  }
  if (def.bridge?.stp !== undefined)
    p.add('bridge.stp', "guestnet does not configure the host's bridge", `remove stp=; set STP ${WHERE}`)
  if (def.bridge?.delay !== undefined)
    p.add(
      'bridge.delay',
      "guestnet does not configure the host's bridge",
      `remove delay=; set the forward delay ${WHERE}`
    )
  if (def.ips.length > 0) {
    p.add(
      'ip[0]',
      'a host-bridge network has no addresses of its own: the LAN’s router gives the guests theirs',
      "remove <ip>, or use mode='nat' or 'route' for a network guestnet addresses and serves"
    )
  }
  if (def.dns)
    p.add('dns', 'a host-bridge network has no DNS server of its own: the LAN’s serves the guests', 'remove <dns>')
  if (def.domain)
    p.add('domain', 'a host-bridge network has no DNS server of its own to answer for a domain', 'remove <domain>')
  if (def.mac !== undefined)
    p.add('mac', "guestnet does not configure the host's bridge", `remove <mac>; set the bridge's address ${WHERE}`)
  if (def.mtu !== undefined)
    p.add('mtu', "guestnet does not configure the host's bridge", `remove <mtu>; set the MTU ${WHERE}`)
  if (def.ipv6)
    p.add(
      'ipv6',
      "<network ipv6='yes'> changes a bridge guestnet makes; the host's bridge is not one",
      "remove ipv6='yes'"
    )
}
