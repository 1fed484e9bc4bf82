import { describe, expect, it } from 'vitest'

import { HelperError } from '../../contract/helper-protocol'
import type { ProbeFile } from './programs'
import { resolveProgram } from './programs'

const files =
  (map: Record<string, { mode?: number; uid?: number }>): ProbeFile =>
  (path) => {
    const f = map[path]
    return f ? { isFile: true, mode: f.mode ?? 0o100755, uid: f.uid ?? 0 } : null
  }

function error(fn: () => unknown): HelperError {
  try {
    fn()
  } catch (e) {
    if (e instanceof HelperError) return e
    throw e
  }
  throw new Error('no error')
}

describe('resolveProgram', () => {
  it('finds a program in the fixed directories, /usr/sbin first', () => {
    expect(resolveProgram('ip', files({ '/usr/sbin/ip': {}, '/bin/ip': {} }))).toBe('/usr/sbin/ip')
    expect(resolveProgram('nft', files({ '/sbin/nft': {} }))).toBe('/sbin/nft')
  })

  it('names the Debian package of a missing program', () => {
    const cases: Array<[string, string]> = [
      ['ip', 'iproute2'],
      ['nft', 'nftables'],
      ['dnsmasq', 'dnsmasq-base']
    ]
    for (const [name, pkg] of cases) {
      const e = error(() => resolveProgram(name, files({})))
      expect(e.code).toBe('MISSING_PROGRAM')
      expect(e.message).toContain(`${name} is not installed`)
      expect(e.fix).toBe(`install the Debian package ${pkg}: apt-get install ${pkg}`)
    }
  })

  it('runs nothing outside its list, whatever $PATH holds', () => {
    expect(error(() => resolveProgram('sh', files({ '/bin/sh': {} }))).message).toMatch(
      /runs only ip, bridge, nft, dnsmasq/
    )
    expect(error(() => resolveProgram('../bin/sh', files({}))).message).toMatch(/runs only/)
  })

  it('refuses a binary a non-root user could have replaced', () => {
    expect(error(() => resolveProgram('ip', files({ '/usr/sbin/ip': { uid: 1000 } }))).message).toMatch(
      /not owned by root/
    )
    expect(error(() => resolveProgram('ip', files({ '/usr/sbin/ip': { mode: 0o100777 } }))).message).toMatch(
      /writable by others/
    )
  })

  it('skips files that are not executable', () => {
    expect(resolveProgram('ip', files({ '/usr/sbin/ip': { mode: 0o100644 }, '/bin/ip': {} }))).toBe('/bin/ip')
  })
})
