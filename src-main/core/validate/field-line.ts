/**
 * The source line of a Problem's field (`ip[0].dhcp.range[1].start`) in the parsed XML, so the CLI
 * can print `FILE:LINE:` like a compiler. Field paths follow the XML: each `name[i]` segment is the
 * i-th child element of that name, a plain segment the first one; the walk stops at the first
 * segment that is not an element (an attribute such as `start`) and gives that element's line.
 */
import type { NetworkXmlDoc, XmlElement } from '../xml/xml-tree'
import { childElements } from '../xml/xml-tree'

const SEGMENT = /^([A-Za-z_][\w.:-]*?)(?:\[(\d+)\])?$/

export function lineOfField(doc: NetworkXmlDoc, field: string): number | undefined {
  let el: XmlElement = doc.root
  if (field && !field.startsWith('(')) {
    for (const segment of field.split('.')) {
      const m = SEGMENT.exec(segment)
      if (!m) break
      const index = m[2] === undefined ? 0 : Number(m[2])
      const child = childElements(el).filter((c) => c.name === m[1])[index]
      if (!child) break
      el = child
    }
  }
  return el.line > 0 ? el.line : undefined
}
