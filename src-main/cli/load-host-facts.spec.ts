import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, describe, expect, it } from 'vitest'

import { hostFactsPath } from '../../test/fixtures/host-facts/fixtures'
import { parseCliArgs } from './args'
import { HostFactsError, loadHostFacts } from './load-host-facts'

const dir = mkdtempSync(join(tmpdir(), 'guestnet-facts-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('loadHostFacts', () => {
  it('reads a recorded file given with --host-facts', async () => {
    const facts = await loadHostFacts(parseCliArgs(['x', '--host-facts', hostFactsPath('docker')]))
    expect(facts.addresses.map((a) => a.ifname)).toContain('docker0')
  })

  it('names the file and what is wrong, as input errors', async () => {
    const missing = join(dir, 'nope.json')
    await expect(loadHostFacts(parseCliArgs(['x', '--host-facts', missing]))).rejects.toThrow(
      `--host-facts ${missing}: cannot read it (no such file)`
    )
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{"addr": [], "route4": [], ')
    const err = await loadHostFacts(parseCliArgs(['x', '--host-facts', bad])).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HostFactsError)
    expect((err as HostFactsError).kind).toBe('input')
    expect((err as Error).message).toMatch(/not valid JSON/)
    await expect(loadHostFacts(parseCliArgs(['x', '--host-facts', dir]))).rejects.toThrow('it is a directory')
  })

  it('reads the live host otherwise, reporting failures as environment errors', async () => {
    const exec = async (): Promise<string> => {
      throw Object.assign(new Error('spawn ip ENOENT'), { code: 'ENOENT' })
    }
    const err = await loadHostFacts(parseCliArgs(['x']), { exec }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HostFactsError)
    expect((err as HostFactsError).kind).toBe('environment')
    const facts = await loadHostFacts(parseCliArgs(['x', '--netns', 'gn-x']), { exec: async () => '[]' })
    expect(facts).toEqual({ addresses: [], routes: [] })
  })
})
