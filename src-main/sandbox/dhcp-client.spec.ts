import { describe, expect, it } from 'vitest'

import { parseLeaseFile, UDHCPC_SCRIPT } from './dhcp-client'

describe('parseLeaseFile', () => {
  it('reads what the udhcpc script recorded', () => {
    const lease = parseLeaseFile(
      'ip=192.168.122.57\nmask=24\nrouter=192.168.122.1\ndns=192.168.122.1 10.0.0.53\ndomain=lan\nlease=3600\nserverid=192.168.122.1\n'
    )
    expect(lease).toEqual({
      ip: '192.168.122.57',
      prefix: 24,
      routers: ['192.168.122.1'],
      dns: ['192.168.122.1', '10.0.0.53'],
      domain: 'lan',
      leaseSeconds: 3600,
      serverId: '192.168.122.1'
    })
  })

  it('leaves out what the server did not send', () => {
    expect(parseLeaseFile('ip=10.0.0.5\nmask=\nrouter=\ndns=\ndomain=\nlease=\nserverid=\n')).toEqual({
      ip: '10.0.0.5',
      prefix: 24,
      routers: [],
      dns: [],
      domain: undefined,
      leaseSeconds: undefined,
      serverId: undefined
    })
  })

  it('refuses a file without an address', () => {
    expect(() => parseLeaseFile('router=10.0.0.1\n')).toThrow(/no address/)
  })
})

describe('UDHCPC_SCRIPT', () => {
  it('configures with ip and records the lease atomically', () => {
    expect(UDHCPC_SCRIPT.startsWith('#!/bin/sh\n')).toBe(true)
    expect(UDHCPC_SCRIPT).toContain('ip addr add "$ip/${mask:-24}" dev "$interface"')
    expect(UDHCPC_SCRIPT).toContain('mv "$GN_LEASE_FILE.tmp" "$GN_LEASE_FILE"')
  })
})
