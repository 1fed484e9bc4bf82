import { describe, expect, it } from 'vitest'

import { lineAt, lineStartsOf, scanElementPositions } from './scan-element-positions'

describe('scanElementPositions', () => {
  it('gives each start tag its line, skipping comments, CDATA and processing instructions', () => {
    const text = [
      "<?xml version='1.0'?>",
      '<network>',
      '  <!-- <fake> -->',
      '  <name><![CDATA[<notatag>]]></name>',
      '  <?pi <also-not>?>',
      "  <bridge name='a>b'/>",
      '  <!--',
      '  <multi/>',
      '  -->',
      '  <ip>',
      '    <dhcp/>',
      '  </ip>',
      '</network>'
    ].join('\n')
    const scan = scanElementPositions(text)
    expect(scan.error).toBeUndefined()
    expect(scan.elements.map((e) => [e.name, e.line])).toEqual([
      ['network', 2],
      ['name', 4],
      ['bridge', 6],
      ['ip', 10],
      ['dhcp', 11]
    ])
    expect(scan.declaration).toBe("<?xml version='1.0'?>")
  })

  it('records where each element ends, for verbatim passthrough', () => {
    const text = '<a><metadata x="1"><b/>t</metadata><c/></a>'
    const meta = scanElementPositions(text).elements.find((e) => e.name === 'metadata')
    expect(meta && text.slice(meta.start, meta.end)).toBe('<metadata x="1"><b/>t</metadata>')
  })

  it('refuses an undefined entity or a stray & with its line', () => {
    expect(scanElementPositions('<a>\n<b>x &nbsp; y</b></a>').error).toEqual({
      message: expect.stringContaining("'&nbsp;'"),
      line: 2
    })
    expect(scanElementPositions("<a>\n\n<b c='x & y'/></a>").error?.line).toBe(3)
    expect(scanElementPositions('<a>&amp;&lt;&#39;&#x41;</a>').error).toBeUndefined()
  })

  it('refuses a DOCTYPE (entity definitions could smuggle content in)', () => {
    expect(scanElementPositions('<!DOCTYPE network>\n<network/>').error?.message).toMatch(/DOCTYPE/)
  })
})

describe('lineAt', () => {
  it('maps offsets to 1-based lines', () => {
    const starts = lineStartsOf('ab\ncd\n\nef')
    expect([0, 2, 3, 6, 7, 8].map((o) => lineAt(starts, o))).toEqual([1, 1, 2, 3, 4, 4])
  })
})
