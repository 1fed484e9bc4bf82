/**
 * Finds where each element starts and ends in XML source text, in document order.
 * fast-xml-parser gives no positions, so the parser pairs this list with its tree: the n-th
 * start tag here is the n-th element of a document-order walk of the tree.
 * Run it on text the validator accepted; it also catches what that validator lets through
 * (undefined entities, stray `&`, a DOCTYPE).
 */

import { findBadChar } from './xml-chars'

export interface ElementPosition {
  name: string
  /** 1-based line of `<name`. */
  line: number
  /** Offset of `<` of the start tag. */
  start: number
  /** Offset just past the element's end (`/>` or `</name>`). */
  end: number
}

export interface ScanResult {
  elements: ElementPosition[]
  /** `<?xml …?>` verbatim when the text starts with one. */
  declaration?: string
  /** `field` is set for characters XML does not allow: the element (or `element.attribute`) they are in. */
  error?: { message: string; line: number; field?: string; limit?: boolean }
}

/**
 * Bounds on a definition's shape, checked before any tree is built: a real network has tens of
 * elements (a few thousand with a long reservation list) and a depth of 5; hostile input past these
 * is refused at once rather than parsed (a 1 MiB file of empty elements is 170 000 of them).
 */
export const MAX_ELEMENTS = 20_000
export const MAX_DEPTH = 32

const BAD_ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/

export function lineStartsOf(text: string): number[] {
  const starts = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return starts
}

export function lineAt(starts: number[], offset: number): number {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid] <= offset) lo = mid
    else hi = mid - 1
  }
  return lo + 1
}

class ScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly field?: string,
    /** A size bound, not a syntax error: the caller stops at once. */
    readonly limit = false
  ) {
    super(message)
  }
}

/** Refuses characters XML does not allow in `text[from, to)`, naming the field they are in. */
function checkChars(text: string, from: number, to: number, field: string, refs = true): void {
  const bad = findBadChar(text, from, to, refs)
  if (bad) throw new ScanError(bad.message, bad.offset, field)
}

/** The parser's field path of an element: names below the root, dotted (`ip.dhcp.range`). */
function pathOf(open: ElementPosition[], name?: string): string {
  const names = open.slice(1).map((e) => e.name)
  if (name !== undefined && open.length > 0) names.push(name)
  return names.join('.') || (open[0]?.name ?? name ?? 'xml')
}

function checkEntities(text: string, from: number, to: number): void {
  const m = BAD_ENTITY.exec(text.slice(from, to))
  if (m) {
    const ref = /^&[^\s;&<]*;?/.exec(text.slice(from + m.index))?.[0] ?? '&'
    throw new ScanError(`undefined entity or stray '&': '${ref}' (write '&amp;' for a literal '&')`, from + m.index)
  }
}

function skipPast(text: string, from: number, marker: string, what: string): number {
  const end = text.indexOf(marker, from)
  if (end < 0) throw new ScanError(`unterminated ${what}`, from)
  return end + marker.length
}

/** Reads a start tag at `lt`; returns its name, whether it closes itself, and the offset past `>`. */
function readStartTag(
  text: string,
  lt: number,
  open: ElementPosition[]
): { name: string; selfClosing: boolean; next: number } {
  const name = /^[^\s/>]+/.exec(text.slice(lt + 1))?.[0] ?? ''
  const elementPath = pathOf(open, name)
  checkChars(text, lt + 1, lt + 1 + name.length, elementPath, false)
  let j = lt + 1 + name.length
  let attrStart = j
  while (j < text.length) {
    const c = text[j]
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, j + 1)
      if (close < 0) throw new ScanError('unterminated attribute value', j)
      const attrName = /([^\s=]+)\s*=\s*$/.exec(text.slice(attrStart, j))?.[1] ?? 'attribute'
      checkChars(text, attrStart, j, elementPath, false)
      // The root's attributes are fields of their own (`ipv6`), as the parser names them.
      checkChars(text, j + 1, close, open.length === 0 ? attrName : `${elementPath}.${attrName}`)
      checkEntities(text, j + 1, close)
      j = close + 1
      attrStart = j
    } else if (c === '>') {
      return { name, selfClosing: false, next: j + 1 }
    } else if (c === '/' && text[j + 1] === '>') {
      return { name, selfClosing: true, next: j + 2 }
    } else {
      j++
    }
  }
  throw new ScanError(`unterminated start tag <${name}>`, lt)
}

export function scanElementPositions(text: string): ScanResult {
  const starts = lineStartsOf(text)
  const elements: ElementPosition[] = []
  const open: ElementPosition[] = []
  let declaration: string | undefined
  let i = 0
  try {
    while (i < text.length) {
      const lt = text.indexOf('<', i)
      checkChars(text, i, lt < 0 ? text.length : lt, pathOf(open))
      checkEntities(text, i, lt < 0 ? text.length : lt)
      if (lt < 0) break
      if (text.startsWith('<!--', lt)) {
        i = skipPast(text, lt + 4, '-->', 'comment')
        checkChars(text, lt + 4, i - 3, open.length ? `${pathOf(open)} (comment)` : 'xml (comment)', false)
      } else if (text.startsWith('<![CDATA[', lt)) {
        i = skipPast(text, lt + 9, ']]>', 'CDATA section')
        checkChars(text, lt + 9, i - 3, pathOf(open), false)
      } else if (text.startsWith('<?', lt)) {
        i = skipPast(text, lt + 2, '?>', 'processing instruction')
        checkChars(text, lt + 2, i - 2, 'xml', false)
        if (/^\s*$/.test(text.slice(0, lt).replace(/^\uFEFF/, '')) && /^<\?xml\s/.test(text.slice(lt))) {
          declaration = text.slice(lt, i)
        }
      } else if (text.startsWith('<!', lt)) {
        throw new ScanError('a <!DOCTYPE> is not supported in a network definition: remove it', lt)
      } else if (text.startsWith('</', lt)) {
        i = skipPast(text, lt + 2, '>', 'end tag')
        checkChars(text, lt + 2, i - 1, pathOf(open), false)
        const el = open.pop()
        if (el) el.end = i
      } else {
        const tag = readStartTag(text, lt, open)
        const el: ElementPosition = { name: tag.name, line: lineAt(starts, lt), start: lt, end: tag.next }
        if (elements.length >= MAX_ELEMENTS) {
          throw new ScanError(
            `more than ${MAX_ELEMENTS} elements: this is not a network definition guestnet reads (nothing was parsed)`,
            lt,
            undefined,
            true
          )
        }
        if (open.length >= MAX_DEPTH) {
          throw new ScanError(`elements nested deeper than ${MAX_DEPTH}: not a network definition`, lt, undefined, true)
        }
        elements.push(el)
        if (!tag.selfClosing) open.push(el)
        i = tag.next
      }
    }
  } catch (e) {
    if (e instanceof ScanError) {
      const error = { message: e.message, line: lineAt(starts, e.offset), ...(e.limit ? { limit: true } : {}) }
      return { elements, declaration, error: e.field === undefined ? error : { ...error, field: e.field } }
    }
    throw e
  }
  return { elements, declaration }
}
