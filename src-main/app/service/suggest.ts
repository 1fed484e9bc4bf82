/** `host:suggest-range`: a free name, bridge, IPv4 range and IPv6 /64 for a new network. */
import { suggestRange } from '../../core/address/suggest-range'
import type { HostFacts } from '../../core/model/host-facts'
import type { NetworkDef } from '../../core/model/network'
import type { Cidr } from '../../core/net/cidr'
import { formatCidr, parseCidr } from '../../core/net/cidr'
import { nextFreeBridgeName } from '../../core/store/bridge-name'
import {
  DEFAULT_BRIDGE_NAME,
  DEFAULT_NETWORK_NAME,
  DEFAULT_ULA_SUBNET_ID,
  pickUlaSubnet
} from '../../core/store/default-network'
import { hostInterfaceNames } from '../../core/store/define-network'
import type { ChannelOutput } from '../../contract/ipc-contract'

export interface SuggestInput {
  purpose: 'default' | 'other'
  facts: HostFacts
  /** Names of every stored network, broken ones included. */
  names: readonly string[]
  defs: readonly NetworkDef[]
  /** This host's ULA /48, or null when there is none. */
  ula48: string | null
  pool?: readonly string[]
}

function subnets(defs: readonly NetworkDef[]): Cidr[] {
  return defs
    .flatMap((d) => d.ips.map((ip) => parseCidr(`${ip.address}/${ip.prefix}`)))
    .filter((c): c is Cidr => c !== null)
}

export function nextNetworkName(taken: readonly string[]): string {
  const used = new Set(taken)
  for (let n = 1; ; n++) if (!used.has(`network${n}`)) return `network${n}`
}

export function suggest(input: SuggestInput): ChannelOutput<'host:suggest-range'> {
  const taken = subnets(input.defs)
  const bridges = [...input.defs.map((d) => d.bridge?.name), ...hostInterfaceNames(input.facts)].filter(
    (n): n is string => n !== undefined
  )
  const isDefault = input.purpose === 'default'
  const range = suggestRange(input.facts, {
    purpose: input.purpose,
    taken: taken.filter((c) => c.family === 4),
    ...(input.pool ? { pool: input.pool } : {})
  })
  const bridge =
    isDefault && !bridges.includes(DEFAULT_BRIDGE_NAME)
      ? DEFAULT_BRIDGE_NAME
      : nextFreeBridgeName(bridges, { start: isDefault ? 0 : 1 })
  const ula64 = input.ula48
    ? pickUlaSubnet(
        input.ula48,
        taken.filter((c) => c.family === 6),
        isDefault ? DEFAULT_ULA_SUBNET_ID : DEFAULT_ULA_SUBNET_ID + 1
      )
    : null
  const name =
    isDefault && !input.names.includes(DEFAULT_NETWORK_NAME) ? DEFAULT_NETWORK_NAME : nextNetworkName(input.names)
  return { ipv4: range ? formatCidr(range) : null, bridge, ula64, name }
}
