import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, describe, expect, it } from 'vitest'

import { parseCliArgs } from '../args'
import type { CliIo } from '../verb'
import { EXIT } from '../verb'
import { verb } from './xml-normalize'

const dir = mkdtempSync(join(tmpdir(), 'guestnet-xml-normalize-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += `${t}\n`) }
  const code = await verb.run(parseCliArgs(['xml-normalize', ...argv]), io)
  return { code, out, err }
}

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
    const r = await run(join(dir, 'missing.xml'))
    expect(r.code).toBe(EXIT.invalid)
    expect(r.err).toMatch(/^guestnet xml-normalize: cannot read .*missing\.xml: ENOENT/)
  })

  it('needs exactly one FILE', async () => {
    await expect(run()).rejects.toThrow(/exactly one FILE/)
  })
})
