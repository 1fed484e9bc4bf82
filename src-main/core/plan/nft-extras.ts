/**
 * What a feature (port forwards, MSS clamping, an uplink mode, …) adds to a network's nft table,
 * by where it goes; nft-ruleset.ts puts the base rules and every feature's additions together, so
 * a network keeps one table and a feature needs no edit of the others. Pure.
 */
import type { GuestAddresses } from '../forward/resolve-forwards'
import type { HostFacts } from '../model/host-facts'
import type { NetworkShape } from './network-shape'

export interface NftChain {
  name: string
  /** Base-chain header, e.g. `type filter hook input priority filter; policy accept;`. */
  base?: string
  /** Lines: a rule, or `# comment`. */
  lines: string[]
}

export interface NftExtras {
  /** Rules at the end of `input` (guests or the outside → host). */
  input?: string[]
  /** Rules at the top of `forward`, before the dispatch to from_guests/to_guests. */
  forward?: string[]
  /** Rules in `from_guests` before its final reject. */
  fromGuests?: string[]
  /** Rules in `to_guests` after the refusal of other guestnet networks, before the subnets' rules. */
  toGuests?: string[]
  /** Rules at the top of `postrouting` (made when the network has no NAT of its own). */
  postrouting?: string[]
  /** Chains of the feature's own (a prerouting or output nat hook, say), after the base ones. */
  chains?: NftChain[]
  /** Set declarations (`set NAME { … }`), before the chains. */
  sets?: string[]
}

/** How `<port isolated='yes'/>` is enforced: a bridge-family nft table, or the kernel's per-port flag. */
export type PortIsolation = 'nft' | 'kernel'

export interface NftFeatureContext {
  hostFacts?: HostFacts
  /** Default 'nft'; 'kernel' where the kernel has no nft bridge meta keys. */
  portIsolation?: PortIsolation
  /** The guests' current addresses, for port forwards that follow a guest by its MAC. */
  guests?: GuestAddresses
}

export type NftFeature = (shape: NetworkShape, ctx: NftFeatureContext) => NftExtras

/** Every feature's additions, merged in this order. */
export function mergeExtras(
  features: readonly NftFeature[],
  shape: NetworkShape,
  ctx: NftFeatureContext
): Required<NftExtras> {
  const out: Required<NftExtras> = {
    input: [],
    forward: [],
    fromGuests: [],
    toGuests: [],
    postrouting: [],
    chains: [],
    sets: []
  }
  for (const feature of features) {
    const e = feature(shape, ctx)
    for (const key of Object.keys(out) as (keyof NftExtras)[]) {
      const more = e[key]
      if (more) (out[key] as unknown[]).push(...more)
    }
  }
  return out
}
