import { describe, expect, it } from 'vitest'

import type { AnyGuestnetCodec } from './guestnet-codec'
import { buildGuestnetSettings, readGuestnetSettings, replaceGuestnetSettings } from './guestnet-metadata'
import { ReadContext } from './read-context'
import { readXmlTree } from './read-xml-tree'
import { writeXmlDocument } from './write-xml-tree'
import type { XmlElement } from './xml-tree'
import { attr, childElements, element } from './xml-tree'

/** A stand-in setting for the mechanism: `<gn:colour name='…'><gn:shade v='…'/></gn:colour>`. */
const colour: AnyGuestnetCodec = {
  element: 'colour',
  read(el, ctx, path) {
    ctx.checkAttrs(el, path, ['name'])
    const shades = childElements(el).map((c) => attr(c, 'v') ?? '?')
    return { name: attr(el, 'name'), shades }
  },
  write(value) {
    const v = value as { name: string; shades: string[] }
    return element(
      'colour',
      [{ name: 'name', value: v.name }],
      v.shades.map((s) => element('shade', [{ name: 'v', value: s }]))
    )
  }
}
const CODECS = [colour]

function parse(xml: string): { root: XmlElement; metadata: XmlElement } {
  const r = readXmlTree(xml)
  if (!r.ok) throw new Error(r.problem.message)
  const metadata = childElements(r.doc.root).find((e) => e.name === 'metadata')
  if (!metadata) throw new Error('no metadata')
  return { root: r.doc.root, metadata }
}

function read(xml: string): { value: unknown; ctx: ReadContext } {
  const { root, metadata } = parse(xml)
  const ctx = new ReadContext()
  return { value: readGuestnetSettings(root, metadata, ctx, CODECS), ctx }
}

describe("guestnet's settings in <metadata>", () => {
  it('reads them under any prefix bound to the namespace, in the container or bare, and ignores other namespaces', () => {
    const container = read(`<network><name>n</name><metadata>
      <app:x xmlns:app='http://example.org/app'><app:colour name='no'/></app:x>
      <g:settings xmlns:g='urn:guestnet:network:1'><g:colour name='red'><g:shade v='dark'/></g:colour></g:settings>
    </metadata></network>`)
    expect(container.ctx.problems).toEqual([])
    expect(container.value).toEqual({ colour: { name: 'red', shades: ['dark'] } })
    const bare = read(`<network xmlns:gn='urn:guestnet:network:1'><name>n</name><metadata>
      <gn:colour name='blue'/></metadata></network>`)
    expect(bare.value).toEqual({ colour: { name: 'blue', shades: [] } })
    // The prefix alone means nothing: gn bound to another namespace is not guestnet's.
    expect(
      read(`<network><name>n</name><metadata><gn:colour xmlns:gn='urn:other' name='x'/></metadata></network>`).value
    ).toBe(undefined)
  })

  it('refuses an unknown setting, a setting given twice and a foreign element inside ours, naming each', () => {
    const { value, ctx } = read(`<network><name>n</name><metadata>
      <gn:settings xmlns:gn='urn:guestnet:network:1'>
        <gn:colour name='a'><x:odd xmlns:x='urn:x'/></gn:colour>
        <gn:flavour/>
      </gn:settings>
      <gn:colour xmlns:gn='urn:guestnet:network:1' name='b'/>
    </metadata></network>`)
    expect(value).toEqual({ colour: { name: 'a', shades: [] } })
    expect(ctx.problems.map((p) => [p.field, p.message])).toEqual([
      ['metadata.colour', 'unsupported: <x:odd> inside <gn:colour>'],
      ['metadata.flavour', 'unsupported: guestnet setting <gn:flavour>'],
      ['metadata.colour', '<gn:colour> is given twice']
    ])
    expect(ctx.problems[1].fix).toMatch(/<gn:colour>/)
  })

  it('writes one container in guestnet’s namespace, which reads back the same', () => {
    const built = buildGuestnetSettings({ colour: { name: 'red', shades: ['dark', 'light'] } } as never, CODECS)
    if (!built) throw new Error('nothing built')
    const xml = writeXmlDocument({ root: element('network', [], [element('name'), element('metadata', [], [built])]) })
    expect(xml).toContain("<gn:settings xmlns:gn='urn:guestnet:network:1'>")
    expect(xml).toContain("<gn:colour name='red'>")
    expect(read(xml).value).toEqual({ colour: { name: 'red', shades: ['dark', 'light'] } })
    expect(buildGuestnetSettings({} as never, CODECS)).toBeUndefined()
  })

  it("replaces only guestnet's part, where it stood; another application's elements stay verbatim", () => {
    const src = `<network><name>n</name><metadata>
      <app:x xmlns:app='http://example.org/app'   odd-spacing="kept"/>
      <gn:colour xmlns:gn='urn:guestnet:network:1' name='old'/>
      <other:y xmlns:other='urn:y'>t</other:y>
    </metadata></network>`
    const { root, metadata } = parse(src)
    const replaced = replaceGuestnetSettings(root, metadata, { colour: { name: 'new', shades: [] } } as never, CODECS)
    if (!replaced) throw new Error('gone')
    const xml = writeXmlDocument({ root: element('network', [], [replaced]) })
    expect(xml).toContain(`<app:x xmlns:app='http://example.org/app'   odd-spacing="kept"/>`)
    expect(xml).toContain(`<other:y xmlns:other='urn:y'>t</other:y>`)
    expect(xml.indexOf('app:x')).toBeLessThan(xml.indexOf('gn:settings'))
    expect(xml.indexOf('gn:settings')).toBeLessThan(xml.indexOf('other:y'))
    expect(xml).not.toContain("name='old'")
    // Removing guestnet's settings leaves the others; with nothing else left, no <metadata> at all.
    const without = replaceGuestnetSettings(root, metadata, undefined, CODECS)
    expect(without && writeXmlDocument({ root: without })).not.toContain('gn:')
    const only = parse(
      `<network><name>n</name><metadata><gn:colour xmlns:gn='urn:guestnet:network:1'/></metadata></network>`
    )
    expect(replaceGuestnetSettings(only.root, only.metadata, undefined, CODECS)).toBeUndefined()
  })
})
