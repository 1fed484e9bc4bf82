/**
 * XML text → our plain tree (`NetworkXmlDoc`), via fast-xml-parser in preserveOrder mode so
 * sibling order and comments survive. Line numbers come from `scanElementPositions`.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'

import type { Problem } from '../model/problem'
import type { ElementPosition } from './scan-element-positions'
import { scanElementPositions } from './scan-element-positions'
import type { NetworkXmlDoc, XmlAttr, XmlComment, XmlElement, XmlNode } from './xml-tree'

const PARSER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  preserveOrder: true,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  // Also decodes numeric references (&#39;); non-XML named entities are refused by the scanner.
  htmlEntities: true,
  allowBooleanAttributes: false
} as const

const ATTRS_KEY = ':@'

export type ReadXmlResult = { ok: true; doc: NetworkXmlDoc } | { ok: false; problem: Problem }

function malformed(message: string, line?: number): { ok: false; problem: Problem } {
  return {
    ok: false,
    problem: {
      field: 'xml',
      message: `malformed XML: ${message.replace(/\.$/, '')}`,
      fix: 'correct the XML syntax at that spot',
      line
    }
  }
}

function forbiddenChar(field: string, message: string, line: number): { ok: false; problem: Problem } {
  return {
    ok: false,
    problem: {
      field,
      message,
      fix: 'remove it: XML allows no control characters but tab, line feed and carriage return, and no references to them',
      line
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The text inside a `#comment`/`#cdata` entry: `[{ '#text': '…' }]`. */
function innerText(v: unknown): string {
  if (!Array.isArray(v)) return ''
  return v.map((item) => (isRecord(item) && typeof item['#text'] === 'string' ? item['#text'] : '')).join('')
}

function readAttrs(raw: unknown): XmlAttr[] {
  if (!isRecord(raw)) return []
  return Object.entries(raw).map(([key, value]) => ({
    name: key.startsWith('@_') ? key.slice(2) : key,
    value: typeof value === 'string' ? value : String(value)
  }))
}

class TreeBuilder {
  private next = 0

  constructor(
    private readonly text: string,
    private readonly positions: ElementPosition[]
  ) {}

  nodes(items: unknown, depth: number, inMetadata = false): XmlNode[] {
    const out: XmlNode[] = []
    if (!Array.isArray(items)) return out
    for (const item of items) {
      if (!isRecord(item)) continue
      const key = Object.keys(item).find((k) => k !== ATTRS_KEY)
      if (key === undefined) continue
      const value = item[key]
      if (key === '#text') {
        const text = typeof value === 'string' ? value : String(value)
        if (text.trim() !== '') out.push({ type: 'text', text })
      } else if (key === '#cdata') {
        out.push({ type: 'text', text: innerText(value) })
      } else if (key === '#comment') {
        out.push({ type: 'comment', text: innerText(value) })
      } else if (key.startsWith('?')) {
        // Processing instructions carry nothing for a network definition.
        continue
      } else {
        out.push(this.element(key, item[ATTRS_KEY], value, depth, inMetadata))
      }
    }
    return out
  }

  private element(
    parsedName: string,
    rawAttrs: unknown,
    children: unknown,
    depth: number,
    inMetadata: boolean
  ): XmlElement {
    const pos = this.positions[this.next++]
    // The scanner saw the source: prefer its spelling (the parser renames a few reserved names).
    const name = pos?.name ?? parsedName
    const el: XmlElement = { type: 'element', name, attrs: readAttrs(rawAttrs), children: [], line: pos?.line ?? 0 }
    // `<metadata>` and each element in it are written back verbatim unless guestnet changes its own.
    const metadata = depth === 1 && name === 'metadata'
    if ((metadata || inMetadata) && pos) el.source = this.text.slice(pos.start, pos.end)
    el.children = this.nodes(children, depth + 1, metadata)
    return el
  }
}

export function readXmlTree(text: string): ReadXmlResult {
  if (text.trim() === '') return malformed('the file is empty', 1)
  // Characters XML forbids first: the validator lets them through (or calls them a bad name).
  const scan = scanElementPositions(text)
  if (scan.error?.limit) {
    return {
      ok: false,
      problem: {
        field: 'xml',
        message: scan.error.message,
        fix: 'give one network definition (libvirt network XML is tens of elements, a few thousand with long reservation lists)',
        line: scan.error.line
      }
    }
  }
  if (scan.error?.field !== undefined) return forbiddenChar(scan.error.field, scan.error.message, scan.error.line)
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false })
  if (valid !== true) return malformed(valid.err.msg, valid.err.line)
  if (scan.error) return malformed(scan.error.message, scan.error.line)

  let parsed: unknown
  try {
    parsed = new XMLParser(PARSER_OPTIONS).parse(text)
  } catch (e) {
    return malformed(e instanceof Error ? e.message : String(e))
  }
  const top = new TreeBuilder(text, scan.elements).nodes(parsed, 0)
  const roots = top.filter((n): n is XmlElement => n.type === 'element')
  if (roots.length !== 1) {
    return malformed(`expected exactly one root element, found ${roots.length}`, roots[1]?.line)
  }
  if (top.some((n) => n.type === 'text')) {
    const stray = top.find((n) => n.type === 'text')
    return malformed(`text outside the root element: '${stray?.type === 'text' ? stray.text.trim().slice(0, 20) : ''}'`)
  }
  const root = roots[0]
  const rootIndex = top.indexOf(root)
  const comments = (nodes: XmlNode[]): XmlComment[] => nodes.filter((n): n is XmlComment => n.type === 'comment')
  return {
    ok: true,
    doc: {
      declaration: scan.declaration,
      before: comments(top.slice(0, rootIndex)),
      root,
      after: comments(top.slice(rootIndex + 1))
    }
  }
}
