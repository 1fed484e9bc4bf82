/** The comparator used by xml2xml.test.ts must itself notice differences, or that suite proves nothing. */
import { describe, expect, it } from 'vitest'

import { semanticDiff } from './xml-semantic-diff'

const BASE =
  "<network>\n  <name>n</name>\n  <forward dev='eth1' mode='nat'>\n    <interface dev='eth1'/>\n  </forward>\n  <ip address='10.0.0.1'>\n  </ip>\n</network>"

describe('semanticDiff', () => {
  it('ignores quotes, attribute order, whitespace, comments and " />"', () => {
    const same =
      '<network><!-- c --><name> n </name><forward mode="nat" dev="eth1"><interface dev="eth1" /></forward><ip address="10.0.0.1"/></network>'
    expect(semanticDiff(same, BASE)).toEqual([])
  })

  it('reports a missing child, an extra attribute, a changed value and text', () => {
    const other = "<network><name>m</name><forward dev='eth2' mode='nat' x='1'/><ip address='10.0.0.1'/></network>"
    expect(semanticDiff(other, BASE)).toEqual([
      "network/name[0]: text 'm', expected 'n'",
      "network/forward[1]: dev='eth2', expected 'eth1'",
      "network/forward[1]: unexpected attribute x='1'",
      'network/forward[1]/interface[0]: missing <interface>'
    ])
  })

  it('reports elements out of order', () => {
    const swapped =
      "<network><name>n</name><ip address='10.0.0.1'/><forward dev='eth1' mode='nat'><interface dev='eth1'/></forward></network>"
    expect(semanticDiff(swapped, BASE)).toContain('network/forward[1]: element <ip> where <forward> was expected')
  })

  it('accepts a missing generated MAC only when asked, and compares MACs ignoring case', () => {
    const expected = "<network><name>n</name><mac address='52:54:00:00:00:00'/></network>"
    expect(semanticDiff('<network><name>n</name></network>', expected)).toEqual(['network/mac[1]: missing <mac>'])
    expect(semanticDiff('<network><name>n</name></network>', expected, { allowMissingGeneratedMac: true })).toEqual([])
    expect(
      semanticDiff(
        "<network><name>n</name><mac address='52:54:00:0A:00:00'/></network>",
        expected.replace('00:00:00:00', '00:0a:00:00')
      )
    ).toEqual([])
  })
})
