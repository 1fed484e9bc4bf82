/** The registry of guestnet's `<metadata>` settings: one codec per element (guestnet-codec.ts). */
import type { AnyGuestnetCodec } from './guestnet-codec'

export const GUESTNET_CODECS: readonly AnyGuestnetCodec[] = []
