/**
 * The XML snippet of `net-update` (virsh's third argument): one `<host>` or `<range>` element, read
 * by the same readers as a whole network file, so it obeys the same attribute rules. Pure.
 */
import type { DhcpHost, DhcpRange, DnsHost } from '../model/network'
import type { UpdateSection } from '../model/net-update'
import type { Problem } from '../model/problem'
import { readDhcpHost, readDhcpRange } from '../xml/parse-ip-xml'
import { readDnsHost } from '../xml/parse-dns-xml'
import { ReadContext } from '../xml/read-context'
import { readXmlTree } from '../xml/read-xml-tree'

export type UpdateItem =
  | { section: 'ip-dhcp-host'; host: DhcpHost }
  | { section: 'ip-dhcp-range'; range: DhcpRange }
  | { section: 'dns-host'; host: DnsHost }

export type SnippetResult = { ok: true; item: UpdateItem } | { ok: false; problems: Problem[] }

/** The element each section takes, and an example for the fix text. */
const ELEMENT: Record<UpdateSection, { name: string; example: string }> = {
  'ip-dhcp-host': { name: 'host', example: "<host mac='52:54:00:12:34:56' ip='192.168.122.10' name='vm1'/>" },
  'ip-dhcp-range': { name: 'range', example: "<range start='192.168.122.100' end='192.168.122.199'/>" },
  'dns-host': { name: 'host', example: "<host ip='192.168.122.10'><hostname>vm1</hostname></host>" }
}

function refused(message: string, fix: string, line?: number): SnippetResult {
  return { ok: false, problems: [{ field: 'xml', message, fix, ...(line !== undefined ? { line } : {}) }] }
}

export function parseUpdateSnippet(section: UpdateSection, xml: string): SnippetResult {
  const want = ELEMENT[section]
  const tree = readXmlTree(xml)
  if (!tree.ok) return { ok: false, problems: [tree.problem] }
  const el = tree.doc.root
  if (el.name !== want.name) {
    return refused(
      `section ${section} takes a <${want.name}> element, not <${el.name}>`,
      `give one element such as ${want.example}`,
      el.line
    )
  }
  const ctx = new ReadContext()
  let item: UpdateItem | undefined
  if (section === 'ip-dhcp-host') {
    item = { section, host: readDhcpHost(el, 'xml', ctx) }
  } else if (section === 'ip-dhcp-range') {
    const range = readDhcpRange(el, 'xml', ctx)
    if (range) item = { section, range }
  } else {
    const host = readDnsHost(el, 'xml', ctx)
    if (host) item = { section, host }
  }
  if (ctx.problems.length > 0 || item === undefined) {
    return ctx.problems.length > 0
      ? { ok: false, problems: ctx.problems }
      : refused(`the <${want.name}> element is incomplete`, `give one element such as ${want.example}`, el.line)
  }
  return { ok: true, item }
}
