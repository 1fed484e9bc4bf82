import { describe, expect, it } from 'vitest'

import { detectDnsmasqUser } from './dnsmasq-user'

const DEBIAN_GROUP = 'root:x:0:\nnogroup:x:65534:\n'

describe('detectDnsmasqUser', () => {
  it('the dnsmasq user with its primary group when it exists (Debian)', () => {
    const passwd = 'root:x:0:0:root:/root:/bin/bash\ndnsmasq:x:999:65534:dnsmasq:/var/lib/misc:/usr/sbin/nologin\n'
    expect(detectDnsmasqUser(passwd, DEBIAN_GROUP)).toEqual({ user: 'dnsmasq', group: 'nogroup' })
  })

  it('nobody/nogroup otherwise', () => {
    expect(detectDnsmasqUser('nobody:x:65534:65534::/:/sbin/nologin\n', DEBIAN_GROUP)).toEqual({
      user: 'nobody',
      group: 'nogroup'
    })
  })

  it('nobody/nobody where there is no nogroup (Fedora)', () => {
    expect(detectDnsmasqUser('nobody:x:65534:65534::/:/sbin/nologin\n', 'nobody:x:65534:\n')).toEqual({
      user: 'nobody',
      group: 'nobody'
    })
  })
})
