import { afterAll, describe, expect, it } from 'vitest'

import { hostFactsPath } from '../../../test/fixtures/host-facts/fixtures'
import { EXIT } from '../verb'
import { verbKit } from '../../../test/unit-support/verb-test-kit'
import { verb } from './validate'

const kit = verbKit('validate', verb)
afterAll(() => kit.cleanup())
const file = kit.file
const run = kit.run

const DEFAULT_XML = `<network>
  <name>default</name>
  <bridge name='virbr0'/>
  <forward/>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.122.2' end='192.168.122.254'/>
    </dhcp>
  </ip>
</network>
`

describe('guestnet validate', () => {
  it('prints FILE: valid and exits 0', async () => {
    const path = file('default.xml', DEFAULT_XML)
    expect(await run(path)).toEqual({ code: EXIT.ok, out: `${path}: valid\n`, err: '' })
    expect(await run(path, '--host-facts', hostFactsPath('laptop-wifi'))).toMatchObject({ code: EXIT.ok })
  })

  it('prints FILE:LINE: field: message — fix for each problem and exits 2', async () => {
    const path = file(
      'bad.xml',
      DEFAULT_XML.replace("'192.168.122.254'", "'192.168.122.255'").replace('virbr0', 'virbr 0')
    )
    const { code, out } = await run(path)
    expect(code).toBe(EXIT.invalid)
    expect(out.split('\n').filter(Boolean)).toEqual([
      `${path}:3: bridge.name: a space is not allowed in an interface name — use at most 15 letters, digits, '_', '.' and '-', e.g. 'virbr1', or remove name= to have a free virbrN picked`,
      `${path}:7: ip[0].dhcp.range[0].end: 192.168.122.255 is the broadcast address of 192.168.122.0/24 — keep the range inside 192.168.122.0/24, between the network address and the broadcast address`
    ])
  })

  it('reports a clash with the host facts given', async () => {
    const path = file('default.xml', DEFAULT_XML)
    const { code, out } = await run(path, '--host-facts', hostFactsPath('hotel'))
    expect(code).toBe(EXIT.invalid)
    expect(out).toBe(
      `${path}:5: ip[0].address: 192.168.122.0/24 overlaps 192.168.122.0/24 on wlan0 (address 192.168.122.57/24) — pick a free range: \`guestnet suggest-range\` prints one\n`
    )
  })

  it('passes on parse problems with their lines', async () => {
    const path = file('unsupported.xml', '<network>\n  <name>x</name>\n  <bandwidth/>\n</network>\n')
    const { code, out } = await run(path)
    expect(code).toBe(EXIT.invalid)
    expect(out).toMatch(new RegExp(`^${path.replace(/[.]/g, '\\.')}:3: bandwidth: unsupported`))
  })

  it('exits 2 for an unreadable file or bad host facts, naming them', async () => {
    expect(await run(kit.path('missing.xml'))).toMatchObject({
      code: EXIT.invalid,
      err: expect.stringContaining('missing.xml: no such file')
    })
    const path = file('default.xml', DEFAULT_XML)
    const facts = file('facts.json', '{"addr": []}')
    expect(await run(path, '--host-facts', facts)).toMatchObject({
      code: EXIT.invalid,
      err: expect.stringContaining(`--host-facts ${facts}: "route4" must be`)
    })
    await expect(run()).rejects.toThrow('validate takes exactly one FILE')
  })
})
