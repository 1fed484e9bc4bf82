import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, describe, expect, it } from 'vitest'

import { hostFactsPath } from '../../../test/fixtures/host-facts/fixtures'
import { verbKit } from '../../../test/unit-support/verb-test-kit'
import { EXIT } from '../verb'
import { verb } from './suggest-range'

const dir = mkdtempSync(join(tmpdir(), 'guestnet-suggest-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const kit = verbKit('suggest-range', verb)
afterAll(() => kit.cleanup())
const run = (...argv: string[]): Promise<{ code: number; out: string; err: string }> => kit.run(...argv)

describe('guestnet suggest-range', () => {
  it('prints subnet, gateway and DHCP range', async () => {
    expect(await run('--host-facts', hostFactsPath('hotel'))).toEqual({
      code: EXIT.ok,
      out: 'subnet      192.168.123.0/24\ngateway     192.168.123.1\nnetmask     255.255.255.0\ndhcp range  192.168.123.2 - 192.168.123.254\n',
      err: ''
    })
  })

  it('prints JSON for --json and honours --for other', async () => {
    const { code, out } = await run('--host-facts', hostFactsPath('laptop-wifi'), '--json', '--for', 'other')
    expect(code).toBe(EXIT.ok)
    expect(JSON.parse(out)).toEqual({
      purpose: 'other',
      subnet: '192.168.123.0/24',
      gateway: '192.168.123.1',
      prefix: 24,
      netmask: '255.255.255.0',
      dhcpStart: '192.168.123.2',
      dhcpEnd: '192.168.123.254'
    })
  })

  it('falls back to the pool, and exits 1 saying why when nothing is free', async () => {
    expect((await run('--host-facts', hostFactsPath('wireguard-vpn'))).out).toMatch(/^subnet {6}10\.122\.0\.0\/24$/m)
    const { code, err } = await run('--host-facts', hostFactsPath('wireguard-vpn'), '--pool', '192.168.0.0/16')
    expect(code).toBe(EXIT.failed)
    expect(err).toContain('no free /24')
    expect(err).toContain('--pool')
    expect(
      (await run('--host-facts', hostFactsPath('wireguard-vpn'), '--pool', '172.30.0.0/16, 10.0.0.0/8')).out
    ).toContain('172.30.0.0/24')
  })

  it('refuses bad arguments', async () => {
    await expect(run('--for', 'lab', '--host-facts', hostFactsPath('hotel'))).rejects.toThrow(
      "--for takes 'default' or 'other', not 'lab'"
    )
    await expect(run('--host-facts', hostFactsPath('hotel'), '--pool', '10.0.0.0/25')).rejects.toThrow(
      'smaller than a /24'
    )
    await expect(run('--host-facts', hostFactsPath('hotel'), 'extra')).rejects.toThrow("no argument 'extra'")
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, 'not json')
    expect(await run('--host-facts', bad)).toMatchObject({
      code: EXIT.invalid,
      err: expect.stringContaining(`--host-facts ${bad}: not valid JSON`)
    })
  })
})
