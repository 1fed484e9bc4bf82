import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, describe, expect, it } from 'vitest'

import { IpSession, isMarkerLine, relabelFailure } from './ip-session'

function hasIp(): boolean {
  try {
    execFileSync('/usr/sbin/ip', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    try {
      execFileSync('/sbin/ip', ['-V'], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  }
}

describe('ip session helpers', () => {
  it('recognises the marker line and nothing else', () => {
    expect(isMarkerLine('[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK"]}]')).toBe(true)
    expect(isMarkerLine('[{"ifindex":2,"ifname":"eth0"}]')).toBe(false)
    expect(isMarkerLine('[]')).toBe(false)
    expect(isMarkerLine('Error: x')).toBe(false)
  })

  it("tells ip's failing line as a line of the batch file", () => {
    const stderr = 'RTNETLINK answers: File exists\nCommand failed -:5\n'
    expect(relabelFailure(stderr, '/run/x/ip.batch', 4, 3)).toBe(
      'RTNETLINK answers: File exists\nCommand failed /run/x/ip.batch:2\n'
    )
    expect(relabelFailure(stderr, '/run/x/ip.batch', 6, 3)).toBe(stderr)
  })
})

// Read-only commands only: these run as any user and change nothing.
describe.skipIf(!hasIp())('IpSession (real ip, read-only)', () => {
  const sessions: IpSession[] = []
  const open = (): IpSession => {
    const s = new IpSession(5000)
    sessions.push(s)
    return s
  }
  let dir = ''
  afterEach(() => {
    for (const s of sessions.splice(0)) s.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('answers queries in order, one JSON line per command, from one process', async () => {
    const s = open()
    const [first, second] = await Promise.all([
      s.query(['link show dev lo', 'addr show dev lo']),
      s.query(['link show dev lo'])
    ])
    expect(first).toHaveLength(2)
    expect(JSON.parse(first[1])[0].ifname).toBe('lo')
    expect(isMarkerLine(second[0])).toBe(true)
    expect(s.alive).toBe(true)
  })

  it('runs a batch to its marker, then reports the first failing line as the file line, and ends', async () => {
    const s = open()
    dir = mkdtempSync(join(tmpdir(), 'gn-ipsession-'))
    const file = join(dir, 'ip.batch')
    writeFileSync(file, '\n')
    // A plan's batch prints nothing (link add, address add, link set): an empty one is the marker alone.
    await s.runBatch('\n', file)
    const failing = s.runBatch('\nlink show dev gn-no-such0\n', file)
    await expect(failing).rejects.toThrow(
      /ip -batch .*ip\.batch failed \(exit 1\): .*gn-no-such0.*Command failed .*ip\.batch:2/
    )
    expect(s.alive).toBe(false)
    await expect(s.query(['link show dev lo'])).rejects.toThrow('the ip session has ended')
  })

  it('fails what is still queued when it is closed', async () => {
    const s = open()
    await s.query(['link show dev lo'])
    s.close()
    await new Promise((r) => setTimeout(r, 50))
    expect(s.alive).toBe(false)
  })
})
