/**
 * Finds where each element starts and ends in XML source text, in document order.
 * fast-xml-parser gives no positions, so the parser pairs this list with its tree: the n-th
 * start tag here is the n-th element of a document-order walk of the tree.
 * Run it on text the validator accepted; it also catches what that validator lets through
 * (undefined entities, stray `&`, a DOCTYPE).
 */

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
  error?: { message: string; line: number }
}

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
    readonly offset: number
  ) {
    super(message)
  }
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
function readStartTag(text: string, lt: number): { name: string; selfClosing: boolean; next: number } {
  const name = /^[^\s/>]+/.exec(text.slice(lt + 1))?.[0] ?? ''
  let j = lt + 1 + name.length
  while (j < text.length) {
    const c = text[j]
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, j + 1)
      if (close < 0) throw new ScanError('unterminated attribute value', j)
      checkEntities(text, j + 1, close)
      j = close + 1
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
      checkEntities(text, i, lt < 0 ? text.length : lt)
      if (lt < 0) break
      if (text.startsWith('<!--', lt)) {
        i = skipPast(text, lt + 4, '-->', 'comment')
      } else if (text.startsWith('<![CDATA[', lt)) {
        i = skipPast(text, lt + 9, ']]>', 'CDATA section')
      } else if (text.startsWith('<?', lt)) {
        i = skipPast(text, lt + 2, '?>', 'processing instruction')
        if (/^\s*$/.test(text.slice(0, lt).replace(/^\uFEFF/, '')) && /^<\?xml\s/.test(text.slice(lt))) {
          declaration = text.slice(lt, i)
        }
      } else if (text.startsWith('<!', lt)) {
        throw new ScanError('a <!DOCTYPE> is not supported in a network definition: remove it', lt)
      } else if (text.startsWith('</', lt)) {
        i = skipPast(text, lt + 2, '>', 'end tag')
        const el = open.pop()
        if (el) el.end = i
      } else {
        const tag = readStartTag(text, lt)
        const el: ElementPosition = { name: tag.name, line: lineAt(starts, lt), start: lt, end: tag.next }
        elements.push(el)
        if (!tag.selfClosing) open.push(el)
        i = tag.next
      }
    }
  } catch (e) {
    if (e instanceof ScanError)
      return { elements, declaration, error: { message: e.message, line: lineAt(starts, e.offset) } }
    throw e
  }
  return { elements, declaration }
}
