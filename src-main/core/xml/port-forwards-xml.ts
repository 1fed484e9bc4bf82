/** `<gn:portForwards><gn:forward proto= port= to= toPort= family= address=/></gn:portForwards>` (model/port-forward.ts). */
import type { PortForward } from '../model/port-forward'
import { FORWARD_FAMILIES, FORWARD_PROTOS, MAX_PORT_FORWARDS } from '../model/port-forward'
import type { GuestnetCodec } from './guestnet-codec'
import type { ReadContext } from './read-context'
import { asChoice, joinPath } from './read-context'
import type { XmlAttr, XmlElement } from './xml-tree'
import { attr, element } from './xml-tree'

const ATTRS = ['proto', 'port', 'to', 'toPort', 'family', 'address'] as const

function readForward(el: XmlElement, ctx: ReadContext, path: string): PortForward | undefined {
  ctx.checkAttrs(el, path, ATTRS)
  ctx.children(el, path, [])
  const proto = attr(el, 'proto') === undefined ? undefined : ctx.choice(el, 'proto', path, asChoice(FORWARD_PROTOS))
  if (attr(el, 'proto') === undefined) ctx.required(el, 'proto', path, 'tcp')
  if (attr(el, 'port') === undefined) ctx.required(el, 'port', path, '2222')
  const port = ctx.uint(el, 'port', path, '2222')
  const to = ctx.required(el, 'to', path, '192.168.122.10')
  const toPort = ctx.uint(el, 'toPort', path, '22')
  const family = ctx.choice(el, 'family', path, asChoice(FORWARD_FAMILIES))
  const address = attr(el, 'address')
  if (proto === undefined || port === undefined || to === undefined) return undefined
  if (attr(el, 'toPort') !== undefined && toPort === undefined) return undefined
  if (attr(el, 'family') !== undefined && family === undefined) return undefined
  return {
    proto,
    port,
    to,
    ...(toPort !== undefined ? { toPort } : {}),
    ...(family !== undefined ? { family } : {}),
    ...(address !== undefined ? { address } : {})
  }
}

export const portForwardsCodec: GuestnetCodec<'portForwards'> = {
  element: 'portForwards',
  read(el, ctx, path) {
    ctx.checkAttrs(el, path, [])
    const list = ctx.children(el, path, ['forward']).get('forward') ?? []
    if (list.length > MAX_PORT_FORWARDS) {
      ctx.problem(path, `${list.length} forwards`, `keep at most ${MAX_PORT_FORWARDS}`, list[MAX_PORT_FORWARDS].line)
      return undefined
    }
    const out: PortForward[] = []
    list.forEach((f, i) => {
      const forward = readForward(f, ctx, joinPath(path, `forward[${i}]`))
      if (forward) out.push(forward)
    })
    return out
  },
  write(value) {
    return element(
      'portForwards',
      [],
      (value ?? []).map((f) => {
        const attrs: XmlAttr[] = [
          { name: 'proto', value: f.proto },
          { name: 'port', value: String(f.port) },
          { name: 'to', value: f.to }
        ]
        if (f.toPort !== undefined) attrs.push({ name: 'toPort', value: String(f.toPort) })
        if (f.family !== undefined) attrs.push({ name: 'family', value: f.family })
        if (f.address !== undefined) attrs.push({ name: 'address', value: f.address })
        return element('forward', attrs)
      })
    )
  }
}
