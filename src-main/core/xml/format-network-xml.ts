/**
 * NetworkDef → libvirt network XML. Without `doc` the output is libvirt's canonical form.
 * With `doc` (the parsed original) the same canonical form carries the admin's comments,
 * XML declaration, `<metadata>` (verbatim) and a few equivalent spellings (`family='ipv4'`, an
 * omitted prefix); a changed field changes only its own element.
 */
import type { NetworkDef } from '../model/network'
import type { Problem } from '../model/problem'
import { buildNetworkElement } from './build-network-xml'
import { mergeWithDoc } from './merge-doc'
import { parseNetworkXml } from './parse-network-xml'
import { writeXmlDocument } from './write-xml-tree'
import type { NetworkXmlDoc } from './xml-tree'

export function formatNetworkXml(def: NetworkDef, doc?: NetworkXmlDoc): string {
  const canon = buildNetworkElement(def)
  if (!doc) return writeXmlDocument({ root: canon })
  return writeXmlDocument({
    declaration: doc.declaration,
    before: doc.before,
    root: mergeWithDoc(canon, doc.root),
    after: doc.after
  })
}

export type NormalizeNetworkXmlResult = { ok: true; xml: string } | { ok: false; problems: Problem[] }

/** Parse, then write back canonically, keeping the file's comments. */
export function normalizeNetworkXml(text: string): NormalizeNetworkXmlResult {
  const parsed = parseNetworkXml(text)
  if (!parsed.ok) return parsed
  return { ok: true, xml: formatNetworkXml(parsed.def, parsed.doc) }
}
