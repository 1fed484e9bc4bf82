/**
 * Our XML tree → text in libvirt's house style: single-quoted attributes, 2-space indent,
 * `<empty/>` elements, text elements on one line. fast-xml-parser's builder only writes double
 * quotes, hence this small writer.
 */
import { terminalSafe } from '../text/terminal-safe'
import type { XmlComment, XmlElement, XmlNode } from './xml-tree'

const TEXT_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;'
}
const ATTR_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '\n': '&#10;', '\t': '&#9;' }

/**
 * Characters XML allows but a terminal (or a reader) could act on: DEL, C1 controls, line separators,
 * bidirectional controls (core/text/terminal-safe.ts). Written as character references, which mean
 * the same to any XML reader, so a document guestnet writes never holds them raw.
 */
const INVISIBLE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
const charRef = (c: string): string => `&#x${c.charCodeAt(0).toString(16)};`

export function escapeText(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => TEXT_ESCAPES[c]).replace(INVISIBLE, charRef)
}

export function escapeAttr(value: string): string {
  return value.replace(/[&<>"'\r\n\t]/g, (c) => ATTR_ESCAPES[c]).replace(INVISIBLE, charRef)
}

function startTag(el: XmlElement): string {
  return `<${el.name}${el.attrs.map((a) => ` ${a.name}='${escapeAttr(a.value)}'`).join('')}`
}

/** A comment cannot hold character references: the same characters are shown as `\\uXXXX` text there. */
function comment(c: XmlComment): string {
  return `<!--${terminalSafe(c.text)}-->`
}

/** Mixed or text content is written on one line, exactly as it is. */
function writeInline(node: XmlNode): string {
  if (node.type === 'text') return escapeText(node.text)
  if (node.type === 'comment') return comment(node)
  if (node.source !== undefined) return node.source
  if (node.children.length === 0) return `${startTag(node)}/>`
  return `${startTag(node)}>${node.children.map(writeInline).join('')}</${node.name}>`
}

function writeNode(node: XmlNode, depth: number, out: string[]): void {
  const indent = '  '.repeat(depth)
  if (node.type !== 'element') {
    out.push(indent + writeInline(node))
    return
  }
  const hasText = node.children.some((c) => c.type === 'text')
  if (node.source !== undefined || node.children.length === 0 || hasText) {
    out.push(indent + writeInline(node))
    return
  }
  out.push(`${indent}${startTag(node)}>`)
  for (const child of node.children) writeNode(child, depth + 1, out)
  out.push(`${indent}</${node.name}>`)
}

export interface XmlDocumentParts {
  declaration?: string
  before?: XmlComment[]
  root: XmlElement
  after?: XmlComment[]
}

export function writeXmlDocument(parts: XmlDocumentParts): string {
  const out: string[] = []
  if (parts.declaration) out.push(parts.declaration)
  for (const c of parts.before ?? []) out.push(comment(c))
  writeNode(parts.root, 0, out)
  for (const c of parts.after ?? []) out.push(comment(c))
  return `${out.join('\n')}\n`
}
