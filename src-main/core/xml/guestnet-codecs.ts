/** The registry of guestnet's `<metadata>` settings: one codec per element (guestnet-codec.ts). */
import type { AnyGuestnetCodec } from './guestnet-codec'
import { codec } from './guestnet-codec'
import { portForwardsCodec } from './port-forwards-xml'
import { uplinkCodec } from './uplink-xml'
import { spanCodec } from './span-xml'

export const GUESTNET_CODECS: readonly AnyGuestnetCodec[] = [
  codec(portForwardsCodec),
  codec(uplinkCodec),
  codec(spanCodec)
]
