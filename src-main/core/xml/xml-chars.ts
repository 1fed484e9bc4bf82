/**
 * The characters XML 1.0 allows (its `Char` production): tab, LF, CR, U+0020–U+D7FF,
 * U+E000–U+FFFD and U+10000–U+10FFFF. fast-xml-parser lets raw control characters through and
 * silently drops (or keeps as text) character references to anything else, so the scanner checks
 * both itself and refuses them.
 */

export function isXmlChar(code: number): boolean {
  if (code === 0x9 || code === 0xa || code === 0xd) return true
  if (code >= 0x20 && code <= 0xd7ff) return true
  if (code >= 0xe000 && code <= 0xfffd) return true
  return code >= 0x10000 && code <= 0x10ffff
}

export function codeName(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}

export interface BadChar {
  /** Offset in the text. */
  offset: number
  message: string
}

const CHAR_REF = /&#(x[0-9a-fA-F]+|[0-9]+);/g

/** The first character, or character reference, XML does not allow in `text[from, to)`; null if none. */
export function findBadChar(text: string, from: number, to: number, refs: boolean): BadChar | null {
  for (let i = from; i < to; i++) {
    const code = text.codePointAt(i) ?? 0
    if (code > 0xffff) {
      i++
      continue
    }
    if (!isXmlChar(code)) {
      const what = code < 0x20 ? 'control character' : code >= 0xd800 && code <= 0xdfff ? 'lone surrogate' : 'character'
      return { offset: i, message: `${what} ${codeName(code)} is not allowed in XML` }
    }
  }
  if (!refs) return null
  CHAR_REF.lastIndex = 0
  const slice = text.slice(from, to)
  for (const m of slice.matchAll(CHAR_REF)) {
    const digits = m[1]
    const code = digits.startsWith('x') ? parseInt(digits.slice(1), 16) : parseInt(digits, 10)
    if (!isXmlChar(code)) {
      const named = Number.isFinite(code) && code <= 0x10ffff ? codeName(code) : 'no Unicode character'
      return {
        offset: from + (m.index ?? 0),
        message: `the character reference '${m[0].slice(0, 20)}' is not allowed in XML (it names ${named})`
      }
    }
  }
  return null
}
