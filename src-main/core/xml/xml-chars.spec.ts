import { describe, expect, it } from 'vitest'

import { normalizeNetworkXml } from './format-network-xml'
import { parseNetworkXml } from './parse-network-xml'

function firstProblem(text: string): { field: string; message: string; line?: number } {
  const r = parseNetworkXml(text)
  if (r.ok) throw new Error(`parsed: ${JSON.stringify(text)}`)
  return r.problems[0]
}

const NET = (name: string, bridge = "<bridge name='virbr5'/>"): string =>
  `<network>\n  <name>${name}</name>\n  ${bridge}\n</network>\n`

describe('characters XML 1.0 does not allow', () => {
  it('refuses raw C0 control characters with the line and the element they are in', () => {
    for (const c of ['\u0000', '\u0001', '\u001b', '\u001f', '\u000b', '\u000c']) {
      const p = firstProblem(NET(`la${c}b`))
      expect(p, JSON.stringify(c)).toMatchObject({ field: 'name', line: 2 })
      expect(p.message).toMatch(/^control character U\+00[01][0-9A-F] is not allowed in XML$/)
    }
  })

  it('names the attribute a control character is in', () => {
    expect(firstProblem(NET('lab', "<bridge name='vir\u001bbr5'/>"))).toMatchObject({ field: 'bridge.name', line: 3 })
    expect(firstProblem("<network ipv6='y\u0007es'><name>x</name></network>")).toMatchObject({ field: 'ipv6', line: 1 })
  })

  it('refuses character references to forbidden characters instead of dropping them', () => {
    for (const ref of ['&#0;', '&#x1b;', '&#27;', '&#xFFFE;', '&#xffff;', '&#xD800;', '&#xDFFF;', '&#x110000;']) {
      const p = firstProblem(NET(`lab${ref}`))
      expect(p, ref).toMatchObject({ field: 'name', line: 2 })
      expect(p.message).toContain(`the character reference '${ref}' is not allowed in XML`)
      expect(firstProblem(NET('lab', `<bridge name='br${ref}'/>`))).toMatchObject({ field: 'bridge.name', line: 3 })
    }
  })

  it('refuses lone surrogates and U+FFFE in the text itself', () => {
    expect(firstProblem(NET('lab\ud800x')).message).toMatch(/lone surrogate U\+D800/)
    expect(firstProblem(NET('lab\ufffe')).message).toMatch(/character U\+FFFE/)
  })

  it('refuses them in comments and end tags too', () => {
    expect(firstProblem(`<network>\n<!-- a\u0002 -->\n<name>x</name></network>`)).toMatchObject({ line: 2 })
    expect(firstProblem(`<network><name>x</name\u0003></network>`)).toMatchObject({ field: 'name' })
  })

  it('still accepts tab, line feed, carriage return, their references and characters beyond the BMP', () => {
    const r = parseNetworkXml(
      '<network>\r\n\t<name>lab</name>\n  <title>a&#9;b&#10;c &#x1F600; \u{1F600}</title>\n</network>\n'
    )
    expect(r.ok && r.def.title).toBe('a\tb\nc \u{1F600} \u{1F600}')
  })

  it('never returns ok with output that is not well-formed: every refused input stays refused', () => {
    for (const bad of ['\u0000', '&#0;', '&#x1b;', '\ud800', '&#xFFFE;']) {
      const r = normalizeNetworkXml(`<network><name>x</name><title>t${bad}</title></network>`)
      expect(r.ok, JSON.stringify(bad)).toBe(false)
    }
  })
})
