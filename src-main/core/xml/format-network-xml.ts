/**
 * NetworkDef → libvirt network XML. Without `doc` the output is libvirt's canonical form.
 * With `doc` (the parsed original) the same canonical form carries the admin's comments,
 * XML declaration, `<metadata>` (another application's part verbatim) and a few equivalent spellings (`family='ipv4'`, an
 * omitted prefix); a changed field changes only its own element.
 */
import type { NetworkDef } from '../model/network'
import type { Problem } from '../model/problem'
import { buildNetworkElement } from './build-network-xml'
import { mergeWithDoc } from './merge-doc'
import { parseNetworkXml } from './parse-network-xml'
import { readXmlTree } from './read-xml-tree'
import { writeXmlDocument } from './write-xml-tree'
import type { NetworkXmlDoc } from './xml-tree'

export function formatNetworkXml(def: NetworkDef, doc?: NetworkXmlDoc): string {
  const canon = buildNetworkElement(def)
  if (!doc) return writeXmlDocument({ root: canon })
  return writeXmlDocument({
    declaration: doc.declaration,
    before: doc.before,
    root: mergeWithDoc(canon, doc.root, def.guestnet),
    after: doc.after
  })
}

export type NormalizeNetworkXmlResult = { ok: true; xml: string } | { ok: false; problems: Problem[] }

/**
 * Parse, then write back canonically, keeping the file's comments. The output is read back before
 * it is returned: whatever slipped past the parser, a result that is not well-formed XML is never ok.
 */
export function normalizeNetworkXml(text: string): NormalizeNetworkXmlResult {
  const parsed = parseNetworkXml(text)
  if (!parsed.ok) return parsed
  const xml = formatNetworkXml(parsed.def, parsed.doc)
  const check = readXmlTree(xml)
  if (!check.ok)
    return {
      ok: false,
      problems: [
        {
          field: 'xml',
          message: `the normalized XML would not be well-formed (${check.problem.message}); nothing was written`,
          fix: 'report this as a guestnet bug, with the input file'
        }
      ]
    }
  return { ok: true, xml }
}
