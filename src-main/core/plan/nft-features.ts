/** The features that add rules to a network's table (nft-extras.ts), in the order they are merged. */
import { mssClamp } from './mss-clamp'
import type { NftFeature } from './nft-extras'
import { lanUplinkRules } from './nft-lan-uplink'
import { portForwardRules } from './nft-port-forwards'
import { spanInputRules } from './nft-span'

export const NFT_FEATURES: readonly NftFeature[] = [mssClamp, portForwardRules, lanUplinkRules, spanInputRules]
