/**
 * guestnet's own settings of a network, beyond libvirt's schema. They live in the network's file
 * inside `<metadata>`, in guestnet's XML namespace (`urn:guestnet:network:1`), so libvirt reads
 * the same file and keeps them untouched on import and export:
 *
 *   <metadata>
 *     <gn:portForwards xmlns:gn='urn:guestnet:network:1'>…</gn:portForwards>
 *   </metadata>
 *
 * One element per setting; each is read and written by its codec (core/xml/guestnet-codecs.ts).
 */

import type { PortForward } from './port-forward'
import type { UplinkMode } from './uplink-mode'
import type { Span } from './span'

export const GUESTNET_XML_NS = 'urn:guestnet:network:1'

/** Settings by element name. Each feature adds its element's value type here and a codec beside it. */
export interface GuestnetSettings {
  /** `<gn:portForwards>` (core/xml/port-forwards-xml.ts). */
  portForwards?: PortForward[]
  /** `<gn:uplink ipv6='lan'/>` (core/xml/uplink-xml.ts). */
  uplink?: UplinkMode
  /** `<gn:span>`: the network spans several hosts over VXLAN (core/xml/span-xml.ts). */
  span?: Span
}
