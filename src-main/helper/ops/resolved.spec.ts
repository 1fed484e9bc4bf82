import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../../core/model/network'
import type { ResolvedEnv } from './resolved-decide'
import { decideResolved, resolvedSetting } from './resolved-decide'
import type { ResolvedIo } from './resolved'
import { registerResolved } from './resolved'

const lab: NetworkDef = {
  name: 'lab',
  forward: { mode: 'nat' },
  bridge: { name: 'virbr0' },
  domain: { name: 'lab.test' },
  ips: [
    { family: 'ipv4', address: '192.168.122.1', prefix: 24 },
    { family: 'ipv6', address: 'FD00:0:0:1::1', prefix: 64 }
  ]
}
const present: ResolvedEnv = { resolvectl: '/usr/bin/resolvectl', running: true, netns: null, setting: 'auto' }

describe('decideResolved', () => {
  it('registers the DNS servers and a routing-only domain for the bridge link, by argv', () => {
    const d = decideResolved(lab, present)
    expect(d.action).toBe('register')
    if (d.action !== 'register') return
    expect(d.commands).toEqual([
      ['resolvectl', 'dns', 'virbr0', '192.168.122.1', 'fd00:0:0:1::1'],
      ['resolvectl', 'domain', 'virbr0', '~lab.test'],
      ['resolvectl', 'default-route', 'virbr0', 'false']
    ])
  })

  it('skips, saying why, without systemd-resolved, in a namespace, when off, or with nothing to register', () => {
    const why = (def: NetworkDef, env: Partial<ResolvedEnv>): string => {
      const d = decideResolved(def, { ...present, ...env })
      return d.action === 'skip' ? `${d.notable ? '!' : ''}${d.reason}` : 'register'
    }
    expect(why(lab, { resolvectl: null })).toMatch(
      /^!systemd-resolved is not running here \(no resolvectl\).*dig @192\.168\.122\.1 NAME\.lab\.test/
    )
    expect(why(lab, { running: false })).toMatch(/no \/run\/systemd\/resolve/)
    expect(why(lab, { netns: 'gnt-1-1h' })).toMatch(/inside network namespace gnt-1-1h/)
    expect(why(lab, { setting: 'off' })).toMatch(/turned off in host.json/)
    expect(why({ ...lab, domain: undefined }, {})).toMatch(/^network lab has no <domain>/)
    expect(why({ ...lab, dns: { enable: false, forwarders: [], hosts: [], srvs: [], txts: [] } }, {})).toMatch(
      /DNS turned off/
    )
  })
})

describe('resolvedSetting', () => {
  it('is on unless host.json says "off"', () => {
    expect(resolvedSetting(null)).toBe('auto')
    expect(resolvedSetting('{"ula":"fd00::/48"}')).toBe('auto')
    expect(resolvedSetting('{"resolved":"off"}')).toBe('off')
    expect(resolvedSetting('{"resolved":false}')).toBe('off')
    expect(resolvedSetting('not json')).toBe('auto')
  })
})

describe('registerResolved', () => {
  function io(fail = false): ResolvedIo & { ran: string[][] } {
    const ran: string[][] = []
    return {
      ran,
      findResolvectl: () => '/usr/bin/resolvectl',
      resolvedRunning: () => true,
      readHostJson: () => null,
      run: async (argv) => {
        ran.push(argv)
        if (fail) throw new Error('Failed to set DNS configuration: Link virbr0 not known')
      }
    }
  }

  it('runs the commands and reports success', async () => {
    const x = io()
    expect(await registerResolved(lab, x, null)).toMatchObject({ registered: true, notable: true })
    expect(x.ran).toHaveLength(3)
  })

  it('reports a failure without throwing, and runs nothing inside a namespace', async () => {
    expect((await registerResolved(lab, io(true), null)).message).toMatch(/could not register lab.test.*not known/)
    const x = io()
    expect(await registerResolved(lab, x, 'gnt-1-1h')).toMatchObject({ registered: false })
    expect(x.ran).toEqual([])
  })
})
