/** `<gn:uplink ipv6='lan|delegated' ipv4='lan'/>` (model/uplink-mode.ts). */
import type { UplinkMode } from '../model/uplink-mode'
import { UPLINK_IPV4_MODES, UPLINK_IPV6_MODES } from '../model/uplink-mode'
import type { GuestnetCodec } from './guestnet-codec'
import { asChoice } from './read-context'
import type { XmlAttr } from './xml-tree'
import { attr, element } from './xml-tree'

export const uplinkCodec: GuestnetCodec<'uplink'> = {
  element: 'uplink',
  read(el, ctx, path) {
    ctx.checkAttrs(el, path, ['ipv6', 'ipv4'])
    ctx.children(el, path, [])
    const ipv6 = ctx.choice(el, 'ipv6', path, asChoice(UPLINK_IPV6_MODES))
    const ipv4 = ctx.choice(el, 'ipv4', path, asChoice(UPLINK_IPV4_MODES))
    if (
      (attr(el, 'ipv6') !== undefined && ipv6 === undefined) ||
      (attr(el, 'ipv4') !== undefined && ipv4 === undefined)
    )
      return undefined
    const mode: UplinkMode = { ...(ipv6 !== undefined ? { ipv6 } : {}), ...(ipv4 !== undefined ? { ipv4 } : {}) }
    return mode
  },
  write(value) {
    const attrs: XmlAttr[] = []
    if (value?.ipv6 !== undefined) attrs.push({ name: 'ipv6', value: value.ipv6 })
    if (value?.ipv4 !== undefined) attrs.push({ name: 'ipv4', value: value.ipv4 })
    return element('uplink', attrs)
  }
}
