/**
 * The guard, for real where possible: a request for a namespace, handled in this process (which
 * runs in the machine's own namespace), must be refused before anything happens. Root-only part:
 * it creates a throw-away namespace and removes it afterwards; nothing else is created.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

import { afterAll, describe, expect, it } from 'vitest'

import { assertInNetns, readNsIdentities } from './netns'
import { HelperError } from '../contract/helper-protocol'
import { runRequest } from './run-request'

const isRoot = process.getuid?.() === 0
const ip = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((p) => existsSync(p))
const NS = `gn-guard-${process.pid}`
let created = false

afterAll(() => {
  if (created && ip) execFileSync(ip, ['netns', 'del', NS])
})

describe('netns guard', () => {
  it('refuses in-process work for a namespace that does not exist', () => {
    expect(() => assertInNetns('gn-guard-none')).toThrow(HelperError)
  })

  it.skipIf(!isRoot || !ip)(
    'refuses in-process work for an existing namespace it is not inside, changing nothing',
    async () => {
      execFileSync(ip as string, ['netns', 'add', NS])
      created = true
      const ids = readNsIdentities(NS)
      expect(ids.target).not.toBeNull()
      expect(ids.self).not.toBe(ids.target)
      const linksBefore = execFileSync(ip as string, ['-o', 'link', 'show']).toString()
      const r = await runRequest(
        { verb: 'start', args: { name: 'default', netns: NS, root: `/tmp/${NS}-root` } },
        { caller: { kind: 'root' }, switches: [], emit: () => undefined, shouldStop: () => false }
      )
      expect(r.ok).toBe(false)
      if (!r.ok) {
        expect(r.error.code).toBe('NETNS')
        expect(r.error.message).toMatch(/not inside network namespace/)
      }
      expect(existsSync(`/tmp/${NS}-root`)).toBe(false)
      expect(execFileSync(ip as string, ['-o', 'link', 'show']).toString()).toBe(linksBefore)
    }
  )
})
