import { describe, expect, it } from 'vitest'

import { bridgeSysctlProblem, hostSysctlProblem, sysctlFile } from './sysctl-keys'

describe('sysctl keys guestnet may change', () => {
  it('allows forwarding, an uplink accept_ra and bridge-nf-call, to 0, 1 or 2 (positive control)', () => {
    for (const key of [
      'net.ipv4.ip_forward',
      'net.ipv6.conf.all.forwarding',
      'net.ipv6.conf.wlan0.accept_ra',
      'net/ipv6/conf/eth0.100/accept_ra',
      'net.bridge.bridge-nf-call-iptables'
    ]) {
      expect(hostSysctlProblem(key, '1'), key).toBeNull()
    }
  })

  it('refuses every other key, traversal, and other values', () => {
    for (const key of [
      'kernel.core_pattern',
      'net.ipv4.conf.all.rp_filter',
      'net/ipv6/conf/../../../kernel/core_pattern',
      'net.ipv6.conf.all.accept_ra',
      'net.ipv4.ip_forward.x'
    ]) {
      expect(hostSysctlProblem(key, '1'), key).toMatch(/refusing/)
    }
    expect(hostSysctlProblem('net.ipv4.ip_forward', '|/bin/sh')).toMatch(/only 0, 1 or 2/)
  })

  it("lets a network set only its own bridge's IPv6 switches", () => {
    expect(bridgeSysctlProblem('net.ipv6.conf.virbr0.disable_ipv6', '0', 'virbr0')).toBeNull()
    expect(bridgeSysctlProblem('net.ipv6.conf.eth0.disable_ipv6', '1', 'virbr0')).toMatch(/own bridge/)
    expect(bridgeSysctlProblem('net.ipv6.conf.virbr0.forwarding', '1', 'virbr0')).toMatch(/own bridge/)
    expect(bridgeSysctlProblem('net.ipv6.conf.virbr0.accept_ra', '0', null)).toMatch(/own bridge/)
  })

  it('maps keys to /proc/sys paths', () => {
    expect(sysctlFile('/proc/sys', 'net.ipv4.ip_forward')).toBe('/proc/sys/net/ipv4/ip_forward')
    expect(sysctlFile('/p', 'net/ipv6/conf/eth0.100/accept_ra')).toBe('/p/net/ipv6/conf/eth0.100/accept_ra')
  })
})
