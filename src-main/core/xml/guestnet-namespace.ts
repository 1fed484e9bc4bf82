/**
 * XML namespaces inside `<metadata>`, as far as guestnet needs them: which elements are guestnet's
 * (`urn:guestnet:network:1`, whatever prefix the file binds to it), and the same subtree with the
 * prefix taken off for the codecs. The XML reader keeps prefixed names as written; this resolves
 * `xmlns`/`xmlns:p` declarations down the tree. Pure.
 */
import { GUESTNET_XML_NS } from '../model/guestnet-settings'
import type { XmlElement, XmlNode } from './xml-tree'

export type NsScope = ReadonlyMap<string, string>

const isDeclaration = (name: string): boolean => name === 'xmlns' || name.startsWith('xmlns:')

/** The prefixes in scope inside `el`, given its parent's. */
export function scopeOf(el: XmlElement, parent: NsScope): NsScope {
  const declared = el.attrs.filter((a) => isDeclaration(a.name))
  if (declared.length === 0) return parent
  const scope = new Map(parent)
  for (const a of declared) scope.set(a.name === 'xmlns' ? '' : a.name.slice('xmlns:'.length), a.value)
  return scope
}

/** `{ns, local}` of an element name in `scope` (its own declarations applied). */
export function resolveName(el: XmlElement, scope: NsScope): { ns: string | undefined; local: string } {
  const inner = scopeOf(el, scope)
  const colon = el.name.indexOf(':')
  const prefix = colon < 0 ? '' : el.name.slice(0, colon)
  return { ns: inner.get(prefix), local: colon < 0 ? el.name : el.name.slice(colon + 1) }
}

export function isGuestnetElement(el: XmlElement, scope: NsScope): boolean {
  return resolveName(el, scope).ns === GUESTNET_XML_NS
}

/**
 * `el` (a guestnet element) with local names and no namespace declarations, its guestnet children
 * likewise; children in another namespace are dropped and passed to `foreign`.
 */
export function localTree(el: XmlElement, scope: NsScope, foreign: (el: XmlElement) => void): XmlElement {
  const inner = scopeOf(el, scope)
  const children: XmlNode[] = []
  for (const c of el.children) {
    if (c.type !== 'element') children.push(c)
    else if (isGuestnetElement(c, inner)) children.push(localTree(c, inner, foreign))
    else foreign(c)
  }
  return {
    ...el,
    name: resolveName(el, scope).local,
    attrs: el.attrs.filter((a) => !isDeclaration(a.name)),
    children
  }
}

/** The element tree with `prefix:` put on every element name (the codec's output, for writing). */
export function prefixed(el: XmlElement, prefix: string): XmlElement {
  return {
    ...el,
    name: `${prefix}:${el.name}`,
    children: el.children.map((c) => (c.type === 'element' ? prefixed(c, prefix) : c))
  }
}
