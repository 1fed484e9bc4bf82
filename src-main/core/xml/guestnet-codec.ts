/** How one of guestnet's `<metadata>` settings is read from and written to its element. */
import type { GuestnetSettings } from '../model/guestnet-settings'
import type { ReadContext } from './read-context'
import type { XmlElement } from './xml-tree'

export interface GuestnetCodec<K extends keyof GuestnetSettings> {
  /** The element's local name in guestnet's namespace (`portForwards` for `<gn:portForwards>`). */
  element: K
  /**
   * The setting from its element, problems on `ctx` with `path` as the field prefix. The element
   * and its descendants come with guestnet's prefix removed (`forward`, not `gn:forward`) and without
   * namespace declarations; an element of another namespace inside was reported already and left out.
   */
  read(el: XmlElement, ctx: ReadContext, path: string): GuestnetSettings[K] | undefined
  /** The element, named by its local name (the writer adds the prefix and the declaration). */
  write(value: GuestnetSettings[K]): XmlElement
}

/** A codec with its key's types forgotten, for the registry. */
export interface AnyGuestnetCodec {
  element: string
  read(el: XmlElement, ctx: ReadContext, path: string): unknown
  write(value: unknown): XmlElement
}

/** For the registry: `codec(portForwardsCodec)`. */
export function codec<K extends keyof GuestnetSettings>(c: GuestnetCodec<K>): AnyGuestnetCodec {
  return c as unknown as AnyGuestnetCodec
}
