/**
 * guestnet's settings in a network's `<metadata>` (model/guestnet-settings.ts).
 *
 * guestnet writes them all inside one element, `<gn:settings xmlns:gn='urn:guestnet:network:1'>`:
 * libvirt keeps only the first child of `<metadata>` in each namespace (virXMLNodeSanitizeNamespaces),
 * so two sibling elements of ours would lose the second on a trip through libvirt. On input a bare
 * setting element directly under `<metadata>` (`<gn:portForwards xmlns:gn=…>`) is read too. Elements
 * of other namespaces are never read and are written back as they were.
 */
import type { GuestnetSettings } from '../model/guestnet-settings'
import { GUESTNET_XML_NS } from '../model/guestnet-settings'
import type { ReadContext } from './read-context'
import type { XmlElement, XmlNode } from './xml-tree'
import { childElements, element } from './xml-tree'
import type { AnyGuestnetCodec } from './guestnet-codec'
import { GUESTNET_CODECS } from './guestnet-codecs'
import type { NsScope } from './guestnet-namespace'
import { isGuestnetElement, localTree, prefixed, resolveName, scopeOf } from './guestnet-namespace'

/** The container element's local name. */
export const SETTINGS_ELEMENT = 'settings'
const PREFIX = 'gn'

function readSetting(
  el: XmlElement,
  scope: NsScope,
  ctx: ReadContext,
  codecs: readonly AnyGuestnetCodec[],
  out: Record<string, unknown>
): void {
  const { local } = resolveName(el, scope)
  const path = `metadata.${local}`
  const codec = codecs.find((c) => c.element === local)
  if (!codec) {
    const known = codecs.map((c) => `<${PREFIX}:${c.element}>`).join(', ')
    ctx.problem(
      path,
      `unsupported: guestnet setting <${el.name}>`,
      `remove it${known ? `; guestnet's settings are ${known}` : ''}`,
      el.line
    )
    return
  }
  if (local in out) {
    ctx.problem(path, `<${el.name}> is given twice`, 'keep one of them', el.line)
    return
  }
  const tree = localTree(el, scope, (f) =>
    ctx.problem(path, `unsupported: <${f.name}> inside <${el.name}>`, `remove <${f.name}>`, f.line)
  )
  const value = codec.read(tree, ctx, path)
  if (value !== undefined) out[local] = value
}

/** The settings in `metadata` (a child of `root`), or undefined when it holds none of guestnet's. */
export function readGuestnetSettings(
  root: XmlElement,
  metadata: XmlElement,
  ctx: ReadContext,
  codecs: readonly AnyGuestnetCodec[] = GUESTNET_CODECS
): GuestnetSettings | undefined {
  const scope = scopeOf(metadata, scopeOf(root, new Map()))
  const out: Record<string, unknown> = {}
  for (const child of childElements(metadata)) {
    if (!isGuestnetElement(child, scope)) continue
    if (resolveName(child, scope).local !== SETTINGS_ELEMENT) {
      readSetting(child, scope, ctx, codecs, out)
      continue
    }
    const inner = scopeOf(child, scope)
    for (const setting of childElements(child)) {
      if (isGuestnetElement(setting, inner)) readSetting(setting, inner, ctx, codecs, out)
      else
        ctx.problem(
          'metadata.settings',
          `unsupported: <${setting.name}> inside <${child.name}>`,
          undefined,
          setting.line
        )
    }
  }
  return Object.keys(out).length > 0 ? (out as GuestnetSettings) : undefined
}

/** `<gn:settings xmlns:gn='urn:guestnet:network:1'>` with one element per setting, in registry order. */
export function buildGuestnetSettings(
  settings: GuestnetSettings,
  codecs: readonly AnyGuestnetCodec[] = GUESTNET_CODECS
): XmlElement | undefined {
  const children: XmlElement[] = []
  for (const codec of codecs) {
    const value = (settings as Record<string, unknown>)[codec.element]
    if (value === undefined) continue
    children.push(prefixed(codec.write(value), PREFIX))
  }
  if (children.length === 0) return undefined
  return element(`${PREFIX}:${SETTINGS_ELEMENT}`, [{ name: `xmlns:${PREFIX}`, value: GUESTNET_XML_NS }], children)
}

/**
 * The original `<metadata>` with guestnet's elements replaced by `settings` (others kept as they were,
 * ours where the first of ours stood, else last); undefined when nothing would be left in it.
 */
export function replaceGuestnetSettings(
  root: XmlElement,
  metadata: XmlElement,
  settings: GuestnetSettings | undefined,
  codecs: readonly AnyGuestnetCodec[] = GUESTNET_CODECS
): XmlElement | undefined {
  const scope = scopeOf(metadata, scopeOf(root, new Map()))
  const built = settings ? buildGuestnetSettings(settings, codecs) : undefined
  const children: XmlNode[] = []
  let placed = false
  for (const node of metadata.children) {
    if (node.type === 'element' && isGuestnetElement(node, scope)) {
      if (!placed && built) children.push(built)
      placed = true
      continue
    }
    children.push(node)
  }
  if (!placed && built) children.push(built)
  if (!children.some((c) => c.type === 'element')) return undefined
  const { source: _verbatim, ...rest } = metadata
  return { ...rest, children }
}
