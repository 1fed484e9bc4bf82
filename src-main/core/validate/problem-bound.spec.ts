/** Hostile input gets a bounded list of problems: at most 100, then one "and N more". */
import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../model/network'
import { parseNetworkXml } from '../xml/parse-network-xml'
import { MAX_PROBLEMS } from './problems'
import { validDef } from '../../../test/unit-support/valid-network.fixture'
import { validateNetwork } from './validate-network'

describe('the number of problems is bounded', () => {
  it('parser: a document of thousands of unknown elements gives 100 problems and "and N more"', () => {
    const count = 19_000
    const r = parseNetworkXml(`<network><name>x</name>${'<junk/>'.repeat(count)}</network>`)
    if (r.ok) throw new Error('parsed')
    expect(MAX_PROBLEMS).toBe(100)
    expect(r.problems).toHaveLength(101)
    expect(r.problems.slice(0, 100).every((p) => p.message === 'unsupported: <junk>')).toBe(true)
    expect(r.problems[100]).toMatchObject({ field: 'xml', message: `and ${count - 100} more problems` })
  })

  it('parser: a 1 MiB document of unknown elements is refused whole, before a tree is built', () => {
    const one = '<junk/>'
    const text = `<network><name>x</name>${one.repeat(Math.floor((1024 * 1024) / one.length))}</network>`
    const r = parseNetworkXml(text)
    if (r.ok) throw new Error('parsed')
    expect(r.problems).toEqual([
      expect.objectContaining({ field: 'xml', message: expect.stringMatching(/more than 20000 elements/) })
    ])
  })

  it('parser: fewer than 100 problems come without a summary', () => {
    const r = parseNetworkXml(`<network><name>x</name>${'<junk/>'.repeat(100)}</network>`)
    expect(r.ok ? [] : r.problems).toHaveLength(100)
  })

  it('validator: 10,000 bad DHCP hosts give 100 problems and "and N more"', () => {
    const def: NetworkDef = validDef()
    const dhcp = def.ips[0].dhcp
    if (!dhcp) throw new Error('fixture has DHCP')
    dhcp.hosts = Array.from({ length: 10_000 }, () => ({ mac: 'not-a-mac', ip: '10.9.9.9' }))
    const problems = validateNetwork(def)
    expect(problems).toHaveLength(101)
    expect(problems[100].message).toMatch(/^and \d+ more problems$/)
    const more = Number(/and (\d+) more/.exec(problems[100].message)?.[1])
    expect(more).toBeGreaterThanOrEqual(2 * 10_000 - 100)
  })

  it('validator: the shape pass is bounded too (thousands of unknown fields)', () => {
    const raw = validDef() as unknown as Record<string, unknown>
    for (let i = 0; i < 5000; i++) raw[`x${i}`] = i
    const problems = validateNetwork(raw as unknown as NetworkDef)
    expect(problems).toHaveLength(101)
    expect(problems[100]).toMatchObject({ field: '(definition)', message: 'and 4900 more problems' })
  })
})
