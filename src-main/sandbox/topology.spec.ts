import { describe, expect, it } from 'vitest'

import { addressOf, httpdArgv, internetDnsArgv, normalizePeer } from './topology'

describe('normalizePeer', () => {
  it('gives the plain address busybox httpd reports', () => {
    expect(normalizePeer('[::ffff:203.0.113.2]\n')).toBe('203.0.113.2')
    expect(normalizePeer('[2001:db8::2]')).toBe('2001:db8::2')
    expect(normalizePeer('203.0.113.9')).toBe('203.0.113.9')
  })
})

describe('helpers', () => {
  it('strips the prefix length', () => {
    expect(addressOf('203.0.113.1/24')).toBe('203.0.113.1')
    expect(addressOf('2001:db8::1/64')).toBe('2001:db8::1')
  })

  it('runs httpd inside the namespace, in the foreground', () => {
    expect(httpdArgv('gn-sbx-inet', '/www')).toEqual([
      'ip',
      'netns',
      'exec',
      'gn-sbx-inet',
      'busybox',
      'httpd',
      '-f',
      '-p',
      '80',
      '-h',
      '/www'
    ])
  })

  it('runs the internet DNS inside its namespace with no upstream and NXDOMAIN for other names', () => {
    const argv = internetDnsArgv('gn-sbx-inet', '203.0.113.1', '2001:db8:1::1')
    expect(argv.slice(0, 5)).toEqual(['ip', 'netns', 'exec', 'gn-sbx-inet', 'dnsmasq'])
    expect(argv).toEqual(
      expect.arrayContaining([
        '--no-resolv',
        '--address=/internet.test/203.0.113.1',
        '--address=/#/',
        '--keep-in-foreground'
      ])
    )
  })
})
