/**
 * No control sequence from a network file reaches a terminal: 13 places in a definition × 10
 * hostile payloads (ESC sequences, OSC 52 to the clipboard, a lone C1 CSI, bidi override, line
 * separator, and character references to them or to what XML forbids), each through `validate`,
 * `xml-normalize` (to a terminal and to a file) and `net-dumpxml`'s document path. Whatever the
 * verdict, the output holds no raw control character; an `xml-normalize` that succeeds prints
 * well-formed XML that means the same as its input.
 */
import { afterAll, describe, expect, it } from 'vitest'

import { formatNetworkXml } from '../core/xml/format-network-xml'
import { parseNetworkXml } from '../core/xml/parse-network-xml'
import { verb as normalize } from './verbs/xml-normalize'
import { verb as validate } from './verbs/validate'
import { verbKit } from '../../test/unit-support/verb-test-kit'

const PAYLOADS = [
  '\u001b[2J\u001b[31m',
  '\u001b]52;c;aGVsbG8=\u0007',
  'a\u009b31mb',
  'x\u202eevil',
  'line\u2028sep',
  '&#x1b;[2J',
  '&#27;]52;c;x&#7;',
  '&#x9b;31m',
  '&#0;',
  '&#xd800;'
]

const escape = (s: string): string => s.replace(/'/g, '&apos;')

/** Where a payload goes: a function from payload to a whole definition. */
const PLACES: Array<[string, (p: string) => string]> = [
  ['name', (p) => net({ name: `n${p}` })],
  ['title', (p) => net({ extra: `<title>${p}</title>` })],
  ['description', (p) => net({ extra: `<description>${p}</description>` })],
  ['bridge name', (p) => net({ bridge: `br${p}` })],
  ['domain', (p) => net({ extra: `<domain name='d${escape(p)}'/>` })],
  ['dns host name', (p) => net({ dns: `<host ip='192.168.122.5'><hostname>h${p}</hostname></host>` })],
  ['dns txt', (p) => net({ dns: `<txt name='t' value='v${escape(p)}'/>` })],
  ['forwarder', (p) => net({ dns: `<forwarder addr='${escape(p)}'/>` })],
  ['dhcp host name', (p) => net({ host: `<host mac='52:54:00:00:00:05' name='g${escape(p)}' ip='192.168.122.5'/>` })],
  ['dhcp host mac', (p) => net({ host: `<host mac='52:54${escape(p)}' ip='192.168.122.6'/>` })],
  ['ip address', (p) => net({ address: `192.168.122.1${escape(p)}` })],
  ['unknown element', (p) => net({ extra: `<x${p.replace(/[^a-z0-9]/g, '')}>${p}</x${p.replace(/[^a-z0-9]/g, '')}>` })],
  ['comment', (p) => net({ extra: `<!-- ${p} -->` })]
]

function net(o: {
  name?: string
  extra?: string
  bridge?: string
  dns?: string
  host?: string
  address?: string
}): string {
  return `<network>
  <name>${o.name ?? 'n'}</name>
  ${o.extra ?? ''}
  <bridge name='${escape(o.bridge ?? 'virbr5')}'/>
  <forward mode='nat'/>
  ${o.dns ? `<dns>${o.dns}</dns>` : ''}
  <ip address='${o.address ?? '192.168.122.1'}' prefix='24'>
    <dhcp><range start='192.168.122.10' end='192.168.122.99'/>${o.host ?? ''}</dhcp>
  </ip>
</network>
`
}

const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

const validateKit = verbKit('validate', validate)
const terminal = verbKit('xml-normalize', normalize)
const toFile = verbKit('xml-normalize', normalize, { tty: false })
afterAll(() => [validateKit, terminal, toFile].forEach((k) => k.cleanup()))

describe('output a terminal can trust', () => {
  const cases = PLACES.flatMap(([place, make]) => PAYLOADS.map((p) => ({ place, payload: p, xml: make(p) })))

  it(`has ${PLACES.length * PAYLOADS.length} hostile definitions`, () => {
    expect(cases).toHaveLength(130)
  })

  it.each(cases)('$place with $payload: validate and xml-normalize print no raw control character', async (c) => {
    const file = validateKit.file('hostile.xml', c.xml)
    for (const run of [validateKit.run(file), terminal.run(file)]) {
      const r = await run
      expect(RAW.test(r.out), JSON.stringify(r.out)).toBe(false)
      expect(RAW.test(r.err), JSON.stringify(r.err)).toBe(false)
    }
    const normalized = await toFile.run(file)
    expect(RAW.test(normalized.err)).toBe(false)
    if (normalized.code === 0) {
      // Into a file the document is exact: well-formed, no raw control characters, the same network.
      expect(RAW.test(normalized.out), JSON.stringify(normalized.out)).toBe(false)
      const again = parseNetworkXml(normalized.out)
      expect(again.ok, JSON.stringify(again)).toBe(true)
      const first = parseNetworkXml(c.xml)
      if (first.ok && again.ok) expect(formatNetworkXml(again.def)).toBe(formatNetworkXml(first.def))
    }
  })
})
