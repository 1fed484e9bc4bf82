import { execFileSync } from 'node:child_process'

import { describe, expect, it } from 'vitest'

import { parseHostFacts } from '../core/host/parse-host-facts'
import type { ExecFileFn } from './read-host-facts'
import { HostFactsReadError, parseBatchOutput, readLiveHostFacts } from './read-host-facts'

function hasIp(): boolean {
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

describe('readLiveHostFacts', () => {
  it('reads all three with one ip -j -batch process, in the namespace asked for', async () => {
    const calls: Array<{ argv: string[]; input?: string }> = []
    const exec: ExecFileFn = async (file, args, input) => {
      calls.push({ argv: [file, ...args], input })
      return '[{"ifname":"lo","addr_info":[]}]\n[{"dst":"10.0.0.0/8","dev":"wg0","table":"51820"}]\n[]\n'
    }
    expect(await readLiveHostFacts({ netns: 'gn-test', exec })).toEqual({
      addr: [{ ifname: 'lo', addr_info: [] }],
      route4: [{ dst: '10.0.0.0/8', dev: 'wg0', table: '51820' }],
      route6: []
    })
    expect(calls).toEqual([
      {
        argv: ['ip', '-n', 'gn-test', '-j', '-batch', '-'],
        input: 'addr show\nroute show table all root 0.0.0.0/0\nroute show table all root ::/0\n'
      }
    ])
  })

  it('runs the three ip -j commands one by one when the batch fails or prints something else', async () => {
    const calls: string[][] = []
    const exec: ExecFileFn = async (file, args) => {
      calls.push([file, ...args])
      if (args.includes('-batch')) return '[]\n'
      return args.includes('addr') ? '[{"ifname":"lo","addr_info":[]}]' : args.includes('-6') ? '' : '[]'
    }
    expect(await readLiveHostFacts({ netns: 'gn-test', exec })).toEqual({
      addr: [{ ifname: 'lo', addr_info: [] }],
      route4: [],
      route6: []
    })
    expect(calls.slice(1)).toEqual([
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
      throw Object.assign(new Error('exit 1'), {
        code: 1,
        stderr: 'Cannot open network namespace "x": No such file or directory\n'
      })
    }
    await expect(readLiveHostFacts({ netns: 'x', exec: failing })).rejects.toThrow(
      `'ip -n x -j addr' failed: Cannot open network namespace "x"`
    )
    const garbage: ExecFileFn = async () => 'Usage: ip ...'
    await expect(readLiveHostFacts({ exec: garbage })).rejects.toBeInstanceOf(HostFactsReadError)
    await expect(readLiveHostFacts({ netns: '-rf', exec: garbage })).rejects.toThrow(
      "'-rf' is not a network namespace name"
    )
  })

  it('parses the batch output only when it is exactly three JSON arrays', () => {
    expect(parseBatchOutput('[]\n[]\n[]\n')).toEqual({ addr: [], route4: [], route6: [] })
    expect(parseBatchOutput('[]\n[]\n')).toBeNull()
    expect(parseBatchOutput('[]\n[]\n{}\n')).toBeNull()
    expect(parseBatchOutput('[]\n[]\nCommand failed -:3\n')).toBeNull()
  })

  it.skipIf(!hasIp())(
    'reads this machine (read-only) into facts that parse, the same by batch and one by one',
    async () => {
      const facts = parseHostFacts(await readLiveHostFacts(), 'live')
      expect(facts.addresses.some((a) => a.ifname === 'lo' || a.scope === 'host')).toBe(true)
      const oneByOne: ExecFileFn = async (file, args) => {
        if (args.includes('-batch')) throw new Error('no batch')
        return execFileSync(file, [...args], { encoding: 'utf8' })
      }
      expect(parseHostFacts(await readLiveHostFacts({ exec: oneByOne }), 'live')).toEqual(facts)
    }
  )
})
