import { describe, expect, it } from 'vitest'

import { networkPaths } from '../plan/network-paths'
import { helperPaths } from './helper-paths'

describe('helperPaths', () => {
  it('puts everything under --root, journals as <runtimeDir>/NAME.json', () => {
    const p = helperPaths('/tmp/r', 'gn-1')
    expect(p.plan).toEqual({ runtimeDir: '/tmp/r/run/guestnet', stateDir: '/tmp/r/var/lib/guestnet' })
    expect(p.journal('default')).toBe('/tmp/r/run/guestnet/default.json')
    expect(p.intent('default')).toBe('/tmp/r/run/guestnet/.default.starting.json')
    // One sysctl ledger per network namespace, shared by every store: always the system's.
    expect(p.ledgerFile('net:[4026532174]')).toBe('/run/guestnet/.sysctl/net-4026532174.json')
    expect(p.leasesFile('default')).toBe(networkPaths(p.plan, 'default').leases)
  })

  it('keeps a namespace’s runtime files apart from the machine’s when there is no --root', () => {
    const host = helperPaths(undefined, undefined)
    const ns = helperPaths(undefined, 'gn-1')
    expect(host.journal('default')).toBe('/run/guestnet/default.json')
    expect(ns.journal('default')).toBe('/run/guestnet/.netns/gn-1/default.json')
    expect(ns.leasesFile('default')).toBe('/var/lib/guestnet/.netns/gn-1/dnsmasq/default.leases')
    expect(ns.layout.networksDir).toBe('/etc/guestnet/networks')
  })

  it('derives every path itself: a root with .. is normalised, hidden names cannot be networks', () => {
    expect(helperPaths('/tmp/x/../r', undefined).journal('a')).toBe('/tmp/r/run/guestnet/a.json')
  })
})
