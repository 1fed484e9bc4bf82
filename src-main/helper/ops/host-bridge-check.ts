/**
 * Starting a host-bridge network (`<forward mode='bridge'>`) changes nothing on the host; it only
 * checks that the bridge the guests are to join is there, is a bridge, and is not one guestnet made
 * for another network (those are in guestnet's interface group). Pure but for `readHostBridge`.
 */
import { existsSync, readFileSync } from 'node:fs'

import { GUESTNET_DEVGROUP } from '../../core/plan/devgroup'
import { HelperError } from '../../contract/helper-protocol'

export interface HostBridgeFacts {
  exists: boolean
  isBridge: boolean
  /** The interface's group (`ip link set … group`), null when unreadable. */
  group: number | null
}

/** Pure: why the guests cannot join `bridge`, or null. */
export function hostBridgeRefusal(bridge: string, f: HostBridgeFacts): { message: string; fix: string } | null {
  if (!f.exists) {
    return {
      message: `the host has no bridge ${bridge}`,
      fix: `create it with your wired interface in it (e.g. nmcli con add type bridge ifname ${bridge}, then add the NIC as its port), or name an existing bridge in <bridge name=…/>`
    }
  }
  if (!f.isBridge)
    return {
      message: `${bridge} is not a bridge`,
      fix: `name a bridge (ip -d link show type bridge lists them), or make ${bridge} one where the host's network is configured`
    }
  if (f.group === GUESTNET_DEVGROUP) {
    return {
      message: `${bridge} is a bridge guestnet made for another network`,
      fix: "join that network instead, or use mode='nat' or 'route' for a network of its own"
    }
  }
  return null
}

export function readHostBridge(bridge: string): HostBridgeFacts {
  const dir = `/sys/class/net/${bridge}`
  if (!existsSync(dir)) return { exists: false, isBridge: false, group: null }
  let group: number | null = null
  try {
    group = Number(readFileSync(`${dir}/netdev_group`, 'utf8').trim())
  } catch {
    group = null
  }
  return { exists: true, isBridge: existsSync(`${dir}/bridge`), group: Number.isInteger(group) ? group : null }
}

export function assertHostBridgeUsable(network: string, bridge: string): void {
  const refusal = hostBridgeRefusal(bridge, readHostBridge(bridge))
  if (refusal)
    throw new HelperError('INVALID_DEFINITION', `network ${network} cannot start: ${refusal.message}`, {
      field: 'bridge.name',
      fix: refusal.fix
    })
}
