import { describe, expect, it } from 'vitest'

import { lineAt, lineStartsOf, MAX_DEPTH, MAX_ELEMENTS, scanElementPositions } from './scan-element-positions'

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

describe('bounds on hostile input', () => {
  it('stops at once past MAX_ELEMENTS elements or MAX_DEPTH levels, and takes a large real list', () => {
    const many = `<network><name>h</name>${'<foo/>'.repeat(MAX_ELEMENTS)}</network>`
    expect(scanElementPositions(many).error).toMatchObject({ limit: true, message: /more than 20000 elements/ })
    const deep = `<network>${'<a>'.repeat(MAX_DEPTH)}${'</a>'.repeat(MAX_DEPTH)}</network>`
    expect(scanElementPositions(deep).error).toMatchObject({ limit: true, message: /nested deeper than 32/ })
    const hosts = Array.from({ length: 4000 }, (_, i) => `<host mac='52:54:00:00:${i >> 8}:${i & 255}'/>`).join('')
    expect(scanElementPositions(`<network><ip><dhcp>${hosts}</dhcp></ip></network>`).error).toBeUndefined()
  })
})
