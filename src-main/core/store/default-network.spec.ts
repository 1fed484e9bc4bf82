import { describe, expect, it } from 'vitest'

import { parseCidr } from '../net/cidr'
import { ulaSubnet } from '../address/ula'
import { decideDefault, defaultNetworkTemplate, pickUlaSubnet } from './default-network'

const cidr = (text: string) => parseCidr(text)!

describe('defaultNetworkTemplate', () => {
  it("is libvirt's default network plus an IPv6 /64 with router advertisements", () => {
    const def = defaultNetworkTemplate({ subnet: cidr('192.168.122.0/24'), ula64: 'fd12:3456:789a::/64', uuid: 'u-1' })
    expect(def).toEqual({
      name: 'default',
      uuid: 'u-1',
      forward: { mode: 'nat' },
      bridge: { name: 'virbr0', stp: true, delay: 0 },
      ips: [
        {
          family: 'ipv4',
          address: '192.168.122.1',
          prefix: 24,
          dhcp: { ranges: [{ start: '192.168.122.2', end: '192.168.122.254' }], hosts: [] }
        },
        { family: 'ipv6', address: 'fd12:3456:789a::1', prefix: 64 }
      ]
    })
  })
  it('follows the subnet it is given', () => {
    const def = defaultNetworkTemplate({ subnet: cidr('10.7.16.0/20'), bridge: 'virbr3' })
    expect(def.ips).toEqual([
      {
        family: 'ipv4',
        address: '10.7.16.1',
        prefix: 20,
        dhcp: { ranges: [{ start: '10.7.16.2', end: '10.7.31.254' }], hosts: [] }
      }
    ])
    expect(def.bridge?.name).toBe('virbr3')
    expect(def.uuid).toBeUndefined()
  })
  it('refuses subnets it cannot use', () => {
    expect(() => defaultNetworkTemplate({ subnet: cidr('10.0.0.0/31') })).toThrow(/\/30 or larger/)
    expect(() => defaultNetworkTemplate({ subnet: cidr('fd00::/64') })).toThrow(/IPv4/)
    expect(() => defaultNetworkTemplate({ subnet: cidr('10.0.0.0/24'), ula64: 'fd00::/48' })).toThrow(/\/64/)
  })
})

describe('pickUlaSubnet', () => {
  const ula48 = 'fd12:3456:789a::/48'
  it('takes subnet id 0 unless another network holds it', () => {
    expect(pickUlaSubnet(ula48, [])).toBe(ulaSubnet(ula48, 0))
    expect(pickUlaSubnet(ula48, [cidr(ulaSubnet(ula48, 0))])).toBe(ulaSubnet(ula48, 1))
    expect(pickUlaSubnet(ula48, [cidr('fd12:3456:789a::/63')])).toBe(ulaSubnet(ula48, 2))
    expect(pickUlaSubnet(ula48, [cidr('fd12:3456:789a::/48')])).toBeNull()
  })
})

describe('decideDefault', () => {
  it('creates the default on first run only', () => {
    expect(decideDefault({ mode: 'ensure', created: false, exists: false })).toEqual({ action: 'create' })
    expect(decideDefault({ mode: 'ensure', created: true, exists: true })).toMatchObject({ action: 'none' })
  })
  it('keeps a deleted default deleted, even if the created marker is lost', () => {
    expect(decideDefault({ mode: 'ensure', created: true, exists: false })).toMatchObject({
      action: 'none',
      reason: expect.stringMatching(/stays deleted/)
    })
    expect(decideDefault({ mode: 'ensure', created: false, exists: false, deletedUuid: 'u-1' })).toMatchObject({
      action: 'none'
    })
  })
  it("adopts a default the admin wrote before guestnet's first run", () => {
    expect(decideDefault({ mode: 'ensure', created: false, exists: true })).toEqual({ action: 'adopt' })
  })
  it('restores with the old UUID and refuses while a default exists', () => {
    expect(decideDefault({ mode: 'restore', created: true, exists: false, deletedUuid: 'u-1' })).toEqual({
      action: 'create',
      uuid: 'u-1'
    })
    expect(decideDefault({ mode: 'restore', created: true, exists: false })).toEqual({ action: 'create' })
    expect(decideDefault({ mode: 'restore', created: true, exists: true, deletedUuid: 'u-1' })).toMatchObject({
      action: 'refuse',
      message: expect.stringMatching(/already exists: undefine it first/)
    })
  })
})
