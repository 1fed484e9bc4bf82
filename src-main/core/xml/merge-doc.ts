/**
 * Puts an admin's comments (and a few harmless spellings) from the parsed original back onto the
 * canonical tree built from a NetworkDef. Each comment belongs to the element that followed it
 * in the original; comments after the last element of a parent stay at the end of that parent.
 * Elements are paired by name: first exact matches (same attributes and text), then the
 * remaining ones by the most shared attributes, so editing one field of an element keeps the
 * comment above it, and deleting an element drops the comment that described it.
 */
import type { GuestnetSettings } from '../model/guestnet-settings'
import { buildGuestnetSettings, readGuestnetSettings, replaceGuestnetSettings } from './guestnet-metadata'
import { impliedPrefix } from './parse-ip-xml'
import { ReadContext } from './read-context'
import { writeXmlDocument } from './write-xml-tree'
import type { XmlAttr, XmlComment, XmlElement, XmlNode } from './xml-tree'
import { attr, childElements, textOf } from './xml-tree'

interface DocChild {
  el: XmlElement
  /** Comments directly before this element. */
  comments: XmlComment[]
  /** Position among the parent's element children. */
  index: number
  taken: boolean
}

function splitDocChildren(parent: XmlElement): { items: DocChild[]; trailing: XmlComment[] } {
  const items: DocChild[] = []
  let pending: XmlComment[] = []
  for (const node of parent.children) {
    if (node.type === 'comment') pending.push(node)
    else if (node.type === 'element') {
      items.push({ el: node, comments: pending, index: items.length, taken: false })
      pending = []
    }
  }
  return { items, trailing: pending }
}

function identity(el: XmlElement): string {
  const a = el.attrs.map((x) => `${x.name}=${x.value}`).sort()
  return JSON.stringify([el.name, a, textOf(el)])
}

function sharedAttrs(a: XmlElement, b: XmlElement): number {
  return a.attrs.filter((x) => attr(b, x.name) === x.value).length
}

/** For each canonical child, the original element it stands for (if any). */
function pairChildren(canon: XmlElement[], items: DocChild[]): (DocChild | undefined)[] {
  const byIdentity = new Map<string, DocChild[]>()
  for (const d of items) {
    const id = identity(d.el)
    byIdentity.set(id, [...(byIdentity.get(id) ?? []), d])
  }
  const pairs: (DocChild | undefined)[] = canon.map((c) => {
    const hit = byIdentity.get(identity(c))?.find((d) => !d.taken)
    if (hit) hit.taken = true
    return hit
  })
  // Remaining ones: prefer the next unpaired original in document order if it shares an
  // attribute (the usual "one field edited" case, and linear for long host lists), else the
  // original sharing the most attributes.
  let cursor = 0
  canon.forEach((c, i) => {
    const paired = pairs[i]
    if (paired) {
      cursor = paired.index + 1
      return
    }
    const free = (d: DocChild): boolean => !d.taken && d.el.name === c.name
    let best = items.slice(cursor).find(free)
    if (!best || sharedAttrs(c, best.el) === 0) {
      for (const d of items) if (free(d) && (!best || sharedAttrs(c, d.el) > sharedAttrs(c, best.el))) best = d
    }
    if (best) {
      best.taken = true
      cursor = best.index + 1
    }
    pairs[i] = best
  })
  return pairs
}

/** Spellings that mean the same to libvirt and that the admin chose: keep them. */
function keepSpelling(canon: XmlElement, orig: XmlElement): XmlAttr[] {
  if (canon.name === 'network') {
    // Namespace declarations on the root (used inside <metadata>) come first, as libvirt writes them.
    return [...orig.attrs.filter((a) => a.name === 'xmlns' || a.name.startsWith('xmlns:')), ...canon.attrs]
  }
  if (canon.name !== 'ip') return canon.attrs
  let out = canon.attrs
  const family = attr(orig, 'family')
  if (family === 'ipv4' && attr(canon, 'family') === undefined) out = [{ name: 'family', value: family }, ...out]
  const address = attr(canon, 'address')
  const prefix = attr(canon, 'prefix')
  if (
    attr(orig, 'prefix') === undefined &&
    attr(orig, 'netmask') === undefined &&
    address !== undefined &&
    prefix !== undefined
  ) {
    const fam = attr(canon, 'family') === 'ipv6' ? 'ipv6' : 'ipv4'
    if (impliedPrefix(fam, address) === Number(prefix)) out = out.filter((a) => a.name !== 'prefix')
  }
  return out
}

function mergeElement(canon: XmlElement, orig: XmlElement): XmlElement {
  const { items, trailing } = splitDocChildren(orig)
  const canonChildren = childElements(canon)
  if (canonChildren.length === 0) {
    // Text-only or empty element: comments that were inside it go after its content.
    const inside = [...items.flatMap((d) => d.comments), ...trailing]
    return { ...canon, attrs: keepSpelling(canon, orig), children: [...canon.children, ...inside] }
  }
  const pairs = pairChildren(canonChildren, items)
  const children: XmlNode[] = []
  let n = 0
  for (const child of canon.children) {
    const pair = child.type === 'element' ? pairs[n++] : undefined
    if (child.type === 'element' && pair) children.push(...pair.comments, mergeElement(child, pair.el))
    else children.push(child)
  }
  children.push(...trailing)
  return { ...canon, attrs: keepSpelling(canon, orig), children }
}

const BEFORE_METADATA = ['name', 'uuid', 'title', 'description']

const isMetadata = (n: XmlNode): boolean => n.type === 'element' && n.name === 'metadata'

/** The written form of the settings (for "did guestnet's part change?"). */
function settingsText(settings: GuestnetSettings | undefined): string {
  const el = settings ? buildGuestnetSettings(settings) : undefined
  return el ? writeXmlDocument({ root: el }) : ''
}

/**
 * The original `<metadata>`, verbatim when guestnet's settings in it are the ones being written,
 * else with guestnet's part replaced (another application's elements kept as they were).
 */
function mergedMetadata(
  orig: XmlElement,
  origRoot: XmlElement,
  settings: GuestnetSettings | undefined
): XmlElement | undefined {
  const before = readGuestnetSettings(origRoot, orig, new ReadContext())
  if (settingsText(before) === settingsText(settings)) return orig
  return replaceGuestnetSettings(origRoot, orig, settings)
}

/**
 * The canonical `<network>` with the original's comments, spellings and `<metadata>`: another
 * application's part of it verbatim, guestnet's own settings from `settings` (the definition's).
 */
export function mergeWithDoc(canon: XmlElement, origRoot: XmlElement, settings?: GuestnetSettings): XmlElement {
  const { items } = splitDocChildren(origRoot)
  const origMeta = items.find((d) => d.el.name === 'metadata')
  if (!origMeta) return mergeElement(canon, origRoot)
  const merged = mergeElement({ ...canon, children: canon.children.filter((n) => !isMetadata(n)) }, origRoot)
  const metadata = mergedMetadata(origMeta.el, origRoot, settings)
  if (!metadata) return merged
  let at = 0
  merged.children.forEach((node, i) => {
    if (node.type === 'element' && BEFORE_METADATA.includes(node.name)) at = i + 1
  })
  const children = [...merged.children]
  children.splice(at, 0, ...origMeta.comments, metadata)
  return { ...merged, children }
}
