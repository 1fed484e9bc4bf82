import { describe, expect, it } from 'vitest'

import type { Account, DirFacts } from './dnsmasq-reach'
import { accountOf, ancestors, blockedMessage, canSearch, firstBlocked } from './dnsmasq-reach'

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\ndnsmasq:x:107:65534:dnsmasq:/var/lib/misc:/usr/sbin/nologin\n'
const GROUP = 'root:x:0:\nnogroup:x:65534:\nnetdev:x:108:dnsmasq,alice\n'
const dnsmasq: Account = { name: 'dnsmasq', uid: 107, gids: [65534, 108] }
const dir = (path: string, mode: number, uid = 0, gid = 0): DirFacts => ({ path, mode: 0o040000 | mode, uid, gid })

describe('dnsmasq reaching its files', () => {
  it('lists a path’s directories from the root down', () => {
    expect(ancestors('/tmp/x/root/run')).toEqual(['/', '/tmp', '/tmp/x', '/tmp/x/root', '/tmp/x/root/run'])
    expect(ancestors('/')).toEqual(['/'])
  })

  it('reads the account, its primary, named and supplementary groups', () => {
    expect(accountOf(PASSWD, GROUP, { user: 'dnsmasq', group: 'nogroup' })).toEqual(dnsmasq)
    expect(accountOf(PASSWD, GROUP, { user: 'nobody', group: 'nogroup' })).toBeNull()
  })

  it('applies owner, group and other bits as the kernel does', () => {
    expect(canSearch(dir('/a', 0o755), dnsmasq)).toBe(true)
    expect(canSearch(dir('/a', 0o700), dnsmasq)).toBe(false)
    expect(canSearch(dir('/a', 0o700, 107), dnsmasq)).toBe(true)
    expect(canSearch(dir('/a', 0o710, 0, 108), dnsmasq)).toBe(true)
    // group bits decide for a member, even when "other" would allow
    expect(canSearch(dir('/a', 0o701, 0, 108), dnsmasq)).toBe(false)
    expect(canSearch(dir('/a', 0o700), { name: 'root', uid: 0, gids: [0] })).toBe(true)
  })

  it('names the first blocked directory and the fix', () => {
    const dirs = [dir('/', 0o755), dir('/tmp', 0o1777), dir('/tmp/gnt-1', 0o700), dir('/tmp/gnt-1/root', 0o755)]
    const blocked = firstBlocked(dirs, dnsmasq)
    expect(blocked?.path).toBe('/tmp/gnt-1')
    const msg = blockedMessage(blocked as DirFacts, dnsmasq, 'web')
    expect(msg).toContain("dnsmasq runs as 'dnsmasq' and cannot enter /tmp/gnt-1 (mode 0700)")
    expect(msg).toContain('chmod o+x /tmp/gnt-1')
    expect(
      firstBlocked(
        dirs.filter((d) => d.path !== '/tmp/gnt-1'),
        dnsmasq
      )
    ).toBeNull()
  })
})
