/**
 * The `default` network guestnet creates on first run, and the rules for its life cycle:
 * created once (never again, even after the admin deletes it); restorable on request with its old UUID.
 *
 * IPv6 subnet: the default network takes subnet id 0 of the host's ULA /48 (`fdXX:XXXX:XXXX::/64`,
 * gateway `…::1`), the first /64 of the site; other networks take ids from 1 up. If another network
 * already holds /64 number 0, the default takes the next free one.
 */
import type { Cidr } from '../net/cidr'
import { cidrsOverlap, firstIp, formatCidr, lastIp, parseCidr } from '../net/cidr'
import { addToIp, formatIp } from '../net/ip'
import type { NetworkDef } from '../model/network'
import { ulaSubnet } from '../address/ula'

export const DEFAULT_NETWORK_NAME = 'default'
export const DEFAULT_BRIDGE_NAME = 'virbr0'
export const DEFAULT_ULA_SUBNET_ID = 0

export interface DefaultTemplateInput {
  /** The IPv4 subnet, from `suggestRange(…, { purpose: 'default' })`. */
  subnet: Cidr
  /** The IPv6 /64 (`fdXX:XXXX:XXXX::/64`); omitted, the network is IPv4 only. */
  ula64?: string
  uuid?: string
  /** Default `virbr0`. */
  bridge?: string
}

/**
 * libvirt's default network (src/network/default.xml.in) plus IPv6: NAT, bridge virbr0,
 * gateway .1, DHCP from .2 to the last address before broadcast, and a ULA /64 announced by
 * router advertisements (SLAAC, no DHCPv6 range).
 */
export function defaultNetworkTemplate(input: DefaultTemplateInput): NetworkDef {
  const { subnet } = input
  if (subnet.family !== 4 || subnet.prefix > 30) {
    throw new Error(`the default network needs an IPv4 subnet of /30 or larger, got ${formatCidr(subnet)}`)
  }
  const first = firstIp(subnet)
  const def: NetworkDef = {
    name: DEFAULT_NETWORK_NAME,
    forward: { mode: 'nat' },
    bridge: { name: input.bridge ?? DEFAULT_BRIDGE_NAME, stp: true, delay: 0 },
    ips: [
      {
        family: 'ipv4',
        address: formatIp(addToIp(first, 1n)),
        prefix: subnet.prefix,
        dhcp: {
          ranges: [{ start: formatIp(addToIp(first, 2n)), end: formatIp(addToIp(lastIp(subnet), -1n)) }],
          hosts: []
        }
      }
    ]
  }
  if (input.uuid !== undefined) def.uuid = input.uuid
  if (input.ula64 !== undefined) {
    const v6 = parseCidr(input.ula64)
    if (!v6 || v6.family !== 6 || v6.prefix !== 64)
      throw new Error(`the default network's IPv6 subnet must be a /64, got '${input.ula64}'`)
    def.ips.push({ family: 'ipv6', address: formatIp(addToIp(firstIp(v6), 1n)), prefix: 64 })
  }
  return def
}

/**
 * The first /64 of the host's ULA /48, from subnet id `from` up, that overlaps none of `taken`;
 * null when all 65536 are taken.
 */
export function pickUlaSubnet(ula48: string, taken: readonly Cidr[], from = DEFAULT_ULA_SUBNET_ID): string | null {
  const base = parseCidr(ulaSubnet(ula48, 0)) as Cidr // ulaSubnet checks the /48
  for (let id = from; id <= 0xffff; id++) {
    const cidr: Cidr = { family: 6, network: base.network | (BigInt(id) << 64n), prefix: 64 }
    if (!taken.some((t) => cidrsOverlap(t, cidr))) return formatCidr(cidr)
  }
  return null
}

export interface DefaultState {
  /** `ensure`: the automatic first-run step; `restore`: the admin asked to bring the default back. */
  mode: 'ensure' | 'restore'
  /** `default-created` exists. */
  created: boolean
  /** `networks/default.xml` exists (valid or not). */
  exists: boolean
  /** The UUID in `default-deleted.json`, if any. */
  deletedUuid?: string
}

export type DefaultDecision =
  /** Write the template; `uuid` is the deleted default's, to reuse. */
  | { action: 'create'; uuid?: string }
  /** A `default` network exists that guestnet did not create (the admin wrote it first): keep it untouched, record it as created. */
  | { action: 'adopt' }
  | { action: 'none'; reason: string }
  | { action: 'refuse'; message: string }

export function decideDefault(state: DefaultState): DefaultDecision {
  if (state.mode === 'restore') {
    if (state.exists) {
      return {
        action: 'refuse',
        message:
          "a network named 'default' already exists: undefine it first (guestnet undefine default) if you want the original back"
      }
    }
    return state.deletedUuid === undefined ? { action: 'create' } : { action: 'create', uuid: state.deletedUuid }
  }
  // A deleted-default record also proves it was created once, should the marker have been lost.
  if (state.created || state.deletedUuid !== undefined) {
    return {
      action: 'none',
      reason: state.exists
        ? 'the default network was created before; it is left as it is'
        : 'the default network was deleted; it stays deleted until the admin asks to restore the default network'
    }
  }
  return state.exists ? { action: 'adopt' } : { action: 'create' }
}
