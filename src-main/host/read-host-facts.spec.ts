import { execFileSync } from 'node:child_process'

import { describe, expect, it } from 'vitest'

import { parseHostFacts } from '../core/host/parse-host-facts'
import type { ExecFileFn } from './read-host-facts'
import { HostFactsReadError, readLiveHostFacts } from './read-host-facts'

function hasIp(): boolean {
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

describe('readLiveHostFacts', () => {
  it('runs the three ip -j commands as argv arrays, in the namespace asked for', async () => {
    const calls: string[][] = []
    const exec: ExecFileFn = async (file, args) => {
      calls.push([file, ...args])
      return args.includes('addr') ? '[{"ifname":"lo","addr_info":[]}]' : args.includes('-6') ? '' : '[]'
    }
    expect(await readLiveHostFacts({ netns: 'gn-test', exec })).toEqual({ addr: [{ ifname: 'lo', addr_info: [] }], route4: [], route6: [] })
    expect(calls).toEqual([
      ['ip', '-n', 'gn-test', '-j', 'addr'],
      ['ip', '-n', 'gn-test', '-j', '-4', 'route', 'show', 'table', 'all'],
      ['ip', '-n', 'gn-test', '-j', '-6', 'route', 'show', 'table', 'all']
    ])
  })

  it('explains a missing ip, a failing command and output that is not JSON', async () => {
    const enoent: ExecFileFn = async () => {
      throw Object.assign(new Error('spawn ip ENOENT'), { code: 'ENOENT' })
    }
    await expect(readLiveHostFacts({ exec: enoent })).rejects.toThrow("the 'ip' program (iproute2) is not installed")
    const failing: ExecFileFn = async () => {
      throw Object.assign(new Error('exit 1'), { code: 1, stderr: 'Cannot open network namespace "x": No such file or directory\n' })
    }
    await expect(readLiveHostFacts({ netns: 'x', exec: failing })).rejects.toThrow(`'ip -n x -j addr' failed: Cannot open network namespace "x"`)
    const garbage: ExecFileFn = async () => 'Usage: ip ...'
    await expect(readLiveHostFacts({ exec: garbage })).rejects.toBeInstanceOf(HostFactsReadError)
    await expect(readLiveHostFacts({ netns: '-rf', exec: garbage })).rejects.toThrow("network namespace name '-rf' is not valid")
  })

  it.skipIf(!hasIp())('reads this machine (read-only) into facts that parse', async () => {
    const facts = parseHostFacts(await readLiveHostFacts(), 'live')
    expect(facts.addresses.some((a) => a.ifname === 'lo' || a.scope === 'host')).toBe(true)
  })
})
