/**
 * A small, plain-data XML tree (structured-clone safe): what the parser keeps of an admin's file
 * so the writer can put their comments and spelling back. Whitespace-only text is not kept;
 * the writer re-indents.
 */

export interface XmlAttr {
  name: string
  value: string
}

export interface XmlElement {
  type: 'element'
  name: string
  attrs: XmlAttr[]
  children: XmlNode[]
  /** 1-based line of the start tag in the source; 0 for elements the writer made. */
  line: number
  /** The element's exact source text, kept only for opaque passthrough (`<metadata>` and its children). */
  source?: string
}

export interface XmlText {
  type: 'text'
  /** Decoded text (entities resolved, CDATA unwrapped). */
  text: string
}

export interface XmlComment {
  type: 'comment'
  /** The comment body between `<!--` and `-->`, verbatim. */
  text: string
}

export type XmlNode = XmlElement | XmlText | XmlComment

/** The parsed original of a network file, handed back to `formatNetworkXml` to keep its comments. */
export interface NetworkXmlDoc {
  /** `<?xml …?>` exactly as written, if the file had one. */
  declaration?: string
  /** Comments before the root element. */
  before: XmlComment[]
  root: XmlElement
  /** Comments after the root element. */
  after: XmlComment[]
}

export function element(name: string, attrs: XmlAttr[] = [], children: XmlNode[] = []): XmlElement {
  return { type: 'element', name, attrs, children, line: 0 }
}

export function textNode(text: string): XmlText {
  return { type: 'text', text }
}

export function attr(el: XmlElement, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value
}

export function childElements(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => c.type === 'element')
}

/** The element's text content (text children joined), ignoring comments. */
export function textOf(el: XmlElement): string {
  return el.children
    .filter((c): c is XmlText => c.type === 'text')
    .map((c) => c.text)
    .join('')
}
