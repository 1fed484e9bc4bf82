import { describe, expect, it } from 'vitest'

import { natNetwork, observation } from '../../../test/unit-support/observation.fixture'
import type { ObservedLink } from '../model'
import { checkLibvirt } from './libvirt'

const libvirtBridge: ObservedLink = {
  ifname: 'virbr0',
  group: 'default',
  kind: 'bridge',
  addresses: ['192.168.122.1/24']
}

describe('libvirt', () => {
  it("finds libvirt's virbr0 taking our network's bridge name", () => {
    const found = checkLibvirt(observation({ links: [libvirtBridge] }))
    expect(found.map((f) => [f.id, f.severity])).toEqual([['libvirt/bridge-virbr0', 'error']])
    expect(found[0].title).toMatch(/default cannot use it/)
    expect(found[0].advice).toMatch(/another bridge name/)
  })

  it('only notes a libvirt bridge that no network of ours names', () => {
    const [f] = checkLibvirt(observation({ links: [libvirtBridge], networks: [natNetwork({ bridge: 'virbr5' })] }))
    expect(f).toMatchObject({ id: 'libvirt/bridge-virbr0', severity: 'info' })
  })

  it("never counts guestnet's own bridges", () => {
    expect(checkLibvirt(observation())).toEqual([])
  })

  it("finds our subnet overlapping libvirt's default network that is up", () => {
    const nets = [natNetwork({ bridge: 'virbr5', subnets: ['192.168.122.0/24'], ipv4: ['192.168.122.1/24'] })]
    const found = checkLibvirt(observation({ links: [libvirtBridge], networks: nets }))
    expect(found.map((f) => [f.id, f.severity])).toEqual([
      ['libvirt/bridge-virbr0', 'info'],
      ['libvirt/subnet-default', 'error']
    ])
    expect(found[1].advice).toMatch(/guestnet net-renumber default/)
  })

  it('warns when libvirt only defines its default network, and not for other subnets', () => {
    const nets = [natNetwork({ subnets: ['192.168.0.0/16'] })]
    const [f] = checkLibvirt(observation({ networks: nets, libvirtDefaultDefined: true }))
    expect(f).toMatchObject({ id: 'libvirt/subnet-default', severity: 'warning' })
    expect(checkLibvirt(observation({ libvirtDefaultDefined: true }))).toEqual([])
  })
})
