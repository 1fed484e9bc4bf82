/** `<gn:span vni= port= underlay= slice='i/n'><gn:peer address=/>…</gn:span>` (model/span.ts). */
import type { Span, SpanPeer, SpanSlice } from '../model/span'
import { MAX_SPAN_PEERS } from '../model/span'
import type { GuestnetCodec } from './guestnet-codec'
import type { ReadContext } from './read-context'
import { joinPath } from './read-context'
import type { XmlAttr, XmlElement } from './xml-tree'
import { attr, element } from './xml-tree'

function readSlice(el: XmlElement, ctx: ReadContext, path: string): SpanSlice | null | undefined {
  const text = attr(el, 'slice')
  if (text === undefined) return undefined
  const m = /^([0-9]{1,4})\/([0-9]{1,4})$/.exec(text)
  if (!m) {
    ctx.problem(
      joinPath(path, 'slice'),
      `'${text}' is not a slice`,
      "give this host's part and the number of parts, e.g. slice='1/3'",
      el.line
    )
    return null
  }
  return { part: Number(m[1]), of: Number(m[2]) }
}

function readPeer(el: XmlElement, ctx: ReadContext, path: string): SpanPeer | undefined {
  ctx.checkAttrs(el, path, ['address'])
  ctx.children(el, path, [])
  const address = ctx.required(el, 'address', path, '198.51.100.2')
  return address === undefined ? undefined : { address }
}

export const spanCodec: GuestnetCodec<'span'> = {
  element: 'span',
  read(el, ctx, path) {
    ctx.checkAttrs(el, path, ['vni', 'port', 'underlay', 'slice'])
    const peers = ctx.children(el, path, ['peer']).get('peer') ?? []
    if (peers.length > MAX_SPAN_PEERS) {
      ctx.problem(path, `${peers.length} peers`, `keep at most ${MAX_SPAN_PEERS}`, peers[MAX_SPAN_PEERS].line)
      return undefined
    }
    if (attr(el, 'vni') === undefined) ctx.required(el, 'vni', path, '4242')
    const vni = ctx.uint(el, 'vni', path, '4242')
    const port = ctx.uint(el, 'port', path, '4789')
    const underlay = ctx.required(el, 'underlay', path, '198.51.100.1')
    const slice = readSlice(el, ctx, path)
    const list: SpanPeer[] = []
    peers.forEach((p, i) => {
      const peer = readPeer(p, ctx, joinPath(path, `peer[${i}]`))
      if (peer) list.push(peer)
    })
    if (vni === undefined || underlay === undefined || slice === null) return undefined
    if (attr(el, 'port') !== undefined && port === undefined) return undefined
    if (list.length !== peers.length) return undefined
    return {
      vni,
      ...(port !== undefined ? { port } : {}),
      underlay,
      ...(slice !== undefined ? { slice } : {}),
      peers: list
    }
  },
  write(value: Span) {
    const attrs: XmlAttr[] = [{ name: 'vni', value: String(value.vni) }]
    if (value.port !== undefined) attrs.push({ name: 'port', value: String(value.port) })
    attrs.push({ name: 'underlay', value: value.underlay })
    if (value.slice !== undefined) attrs.push({ name: 'slice', value: `${value.slice.part}/${value.slice.of}` })
    return element(
      'span',
      attrs,
      value.peers.map((p) => element('peer', [{ name: 'address', value: p.address }]))
    )
  }
}
