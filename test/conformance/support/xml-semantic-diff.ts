/**
 * Semantic comparison of two XML documents, the way the libvirt corpus README asks: same
 * elements in the same order, same attributes and values, same text; quote style, whitespace,
 * attribute order and comments do not matter. Parsed independently of src-main/core/xml so the
 * code under test does not judge itself.
 */
import { XMLParser } from 'fast-xml-parser'

export interface SemanticElement {
  name: string
  attrs: Record<string, string>
  text: string
  children: SemanticElement[]
}

export interface DiffOptions {
  /**
   * libvirt's test harness adds `<mac address='52:54:00:…'/>` to some outputs although the input
   * has none; when true, such an expected element may be missing from the actual output.
   */
  allowMissingGeneratedMac?: boolean
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  htmlEntities: true
})

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function convert(items: unknown): { elements: SemanticElement[]; text: string } {
  const elements: SemanticElement[] = []
  let text = ''
  if (!Array.isArray(items)) return { elements, text }
  for (const item of items) {
    if (!isRecord(item)) continue
    const key = Object.keys(item).find((k) => k !== ':@')
    if (key === undefined || key.startsWith('?')) continue
    if (key === '#text') {
      text += String(item[key])
      continue
    }
    const inner = convert(item[key])
    const attrs: Record<string, string> = {}
    const raw = item[':@']
    if (isRecord(raw)) for (const [k, v] of Object.entries(raw)) attrs[k] = String(v)
    elements.push({ name: key, attrs, text: inner.text.trim(), children: inner.elements })
  }
  return { elements, text }
}

export function toSemantic(xml: string): SemanticElement {
  const { elements } = convert(parser.parse(xml))
  if (elements.length !== 1) throw new Error(`expected one root element, found ${elements.length}`)
  return elements[0]
}

/** MAC addresses compare case-insensitively (older libvirt outputs kept the input's case). */
function sameValue(element: string, name: string, a: string, b: string): boolean {
  const isMac = (element === 'mac' && name === 'address') || (element === 'host' && name === 'mac')
  return isMac ? a.toLowerCase() === b.toLowerCase() : a === b
}

function isGeneratedMac(el: SemanticElement): boolean {
  return el.name === 'mac' && /^52:54:00:/i.test(el.attrs.address ?? '')
}

function diffElement(
  actual: SemanticElement,
  expected: SemanticElement,
  path: string,
  opts: DiffOptions,
  out: string[]
): void {
  if (actual.name !== expected.name) {
    out.push(`${path}: element <${actual.name}> where <${expected.name}> was expected`)
    return
  }
  for (const [name, value] of Object.entries(expected.attrs)) {
    const got = actual.attrs[name]
    if (got === undefined) out.push(`${path}: missing attribute ${name}='${value}'`)
    else if (!sameValue(expected.name, name, got, value)) out.push(`${path}: ${name}='${got}', expected '${value}'`)
  }
  for (const name of Object.keys(actual.attrs)) {
    if (!(name in expected.attrs)) out.push(`${path}: unexpected attribute ${name}='${actual.attrs[name]}'`)
  }
  if (actual.text !== expected.text) out.push(`${path}: text '${actual.text}', expected '${expected.text}'`)

  const exp = expected.children.filter(
    (c) =>
      !(
        opts.allowMissingGeneratedMac &&
        path === 'network' &&
        isGeneratedMac(c) &&
        !actual.children.some((a) => a.name === 'mac')
      )
  )
  const count = Math.max(exp.length, actual.children.length)
  for (let i = 0; i < count; i++) {
    const a = actual.children[i]
    const e = exp[i]
    const where = `${path}/${(e ?? a)?.name}[${i}]`
    if (!a) out.push(`${where}: missing <${e?.name}>`)
    else if (!e) out.push(`${where}: unexpected <${a.name}>`)
    else diffElement(a, e, where, opts, out)
  }
}

/** Differences of `actual` from `expected`, one readable line each; empty when they agree. */
export function semanticDiff(actualXml: string, expectedXml: string, opts: DiffOptions = {}): string[] {
  const out: string[] = []
  diffElement(toSemantic(actualXml), toSemantic(expectedXml), 'network', opts, out)
  return out
}
