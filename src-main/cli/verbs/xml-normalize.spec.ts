import { afterAll, describe, expect, it } from 'vitest'

import { EXIT } from '../verb'
import { verbKit } from '../../../test/unit-support/verb-test-kit'
import { verb } from './xml-normalize'

const kit = verbKit('xml-normalize', verb, { tty: false })
afterAll(() => kit.cleanup())
const file = kit.file
const run = kit.run

describe('guestnet xml-normalize', () => {
  it('prints the canonical XML and exits 0', async () => {
    const path = file('ok.xml', '<network>\n  <!-- hi -->\n  <name>lab</name>\n  <forward/>\n</network>\n')
    expect(await run(path)).toEqual({
      code: EXIT.ok,
      out: "<network>\n  <!-- hi -->\n  <name>lab</name>\n  <forward mode='nat'/>\n  <bridge stp='on' delay='0'/>\n</network>\n",
      err: ''
    })
  })

  it('prints FILE:LINE: field: message per problem and exits 2', async () => {
    const path = file('bad.xml', "<network>\n  <name>lab</name>\n  <bandwidth/>\n  <mtu size='big'/>\n</network>\n")
    const r = await run(path)
    expect(r.code).toBe(EXIT.invalid)
    expect(r.out).toBe('')
    expect(r.err.trimEnd().split('\n')).toEqual([
      `${path}:3: bandwidth: unsupported: <bandwidth> — remove <bandwidth> (guestnet does not shape traffic (QoS))`,
      `${path}:4: mtu.size: 'big' is not a whole number — write digits only, e.g. size='1500'`
    ])
  })

  it('exits 2 with the reason when the file cannot be read', async () => {
    const r = await run(kit.path('missing.xml'))
    expect(r.code).toBe(EXIT.invalid)
    expect(r.err).toMatch(/^guestnet xml-normalize: cannot read .*missing\.xml: ENOENT/)
  })

  it('needs exactly one FILE', async () => {
    await expect(run()).rejects.toThrow(/exactly one FILE/)
  })
})
