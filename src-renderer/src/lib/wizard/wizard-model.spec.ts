import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../../../../src-main/core/model/network'
import type { WizardDraft } from './wizard-model'
import {
  applyDerivedIpv4,
  chosenIpv6Prefix,
  draftFromDef,
  draftToDef,
  inputOfField,
  missingOnStep,
  newDraft,
  stepOfField
} from './wizard-model'

const suggestion = { name: 'default', bridge: 'virbr0', ipv4: '192.168.122.0/24', ula64: 'fd12:3456:789a::/64' }

function filled(): WizardDraft {
  const d = applyDerivedIpv4(newDraft(suggestion, { isDefault: true }), {
    subnet: '192.168.122.0/24',
    gateway: '192.168.122.1',
    prefix: 24,
    dhcpStart: '192.168.122.2',
    dhcpEnd: '192.168.122.254'
  })
  return { ...d, ipv6Gateway: 'fd12:3456:789a::1' }
}

describe('newDraft', () => {
  it('starts from the suggestion: NAT, the ULA, autostart for the default only', () => {
    const d = newDraft(suggestion, { isDefault: true })
    expect(d).toMatchObject({
      purpose: 'nat',
      name: 'default',
      bridge: 'virbr0',
      subnet: '192.168.122.0/24',
      ipv6Mode: 'ula',
      autostart: true
    })
    expect(newDraft({ ...suggestion, ula64: null }, { isDefault: false })).toMatchObject({
      ipv6Mode: 'off',
      autostart: false
    })
  })
})

describe('draftToDef', () => {
  it('builds the default network: NAT, virbr0, DHCP over the range, the ULA /64', () => {
    expect(draftToDef(filled())).toEqual({
      name: 'default',
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

  it('maps purposes to forward modes and drops NAT settings for isolated networks', () => {
    const base: NetworkDef = { name: 'x', forward: { mode: 'nat', dev: 'eth0', nat: { portStart: 1024 } }, ips: [] }
    expect(draftToDef({ ...filled(), purpose: 'isolated' }, base).forward).toEqual({ mode: 'none' })
    expect(draftToDef({ ...filled(), purpose: 'routed' }, base).forward).toEqual({ mode: 'route', dev: 'eth0' })
    expect(draftToDef({ ...filled(), purpose: 'nat' }, base).forward).toEqual(base.forward)
  })

  it('IPv6 off leaves no IPv6 address; link-local only sets ipv6=yes', () => {
    const off = draftToDef({ ...filled(), ipv6Mode: 'off' })
    expect(off.ips.map((ip) => ip.family)).toEqual(['ipv4'])
    expect(off.ipv6).toBeUndefined()
    const ll = draftToDef({ ...filled(), ipv6Mode: 'link-local' })
    expect(ll.ipv6).toBe(true)
    expect(ll.ips).toHaveLength(1)
  })

  it('no DHCP when turned off; domain only when given', () => {
    const d = draftToDef({ ...filled(), dhcp: false, domain: ' lab.internal ' })
    expect(d.ips[0].dhcp).toBeUndefined()
    expect(d.domain).toEqual({ name: 'lab.internal', localOnly: true })
  })

  it('keeps what the wizard does not show when editing: UUID, MAC, reservations, lease time, DNS', () => {
    const base: NetworkDef = {
      name: 'lab',
      uuid: 'u-1',
      mac: '52:54:00:aa:bb:cc',
      forward: { mode: 'nat' },
      bridge: { name: 'virbr1', stp: false },
      dns: { forwarders: [], hosts: [], srvs: [], txts: [{ name: 'a', value: 'b' }] },
      ips: [
        {
          family: 'ipv4',
          address: '10.1.0.1',
          prefix: 24,
          dhcp: {
            ranges: [{ start: '10.1.0.2', end: '10.1.0.9', lease: { expiry: 1, unit: 'hours' } }],
            hosts: [{ mac: '52:54:00:00:00:01', ip: '10.1.0.5' }]
          }
        }
      ]
    }
    const draft = draftFromDef(base, false, null)
    const def = draftToDef({ ...draft, dhcpEnd: '10.1.0.50' }, base)
    expect(def.uuid).toBe('u-1')
    expect(def.mac).toBe('52:54:00:aa:bb:cc')
    expect(def.bridge).toEqual({ name: 'virbr1', stp: false, delay: 0 })
    expect(def.dns).toEqual(base.dns)
    expect(def.ips[0].dhcp).toEqual({
      ranges: [{ start: '10.1.0.2', end: '10.1.0.50', lease: { expiry: 1, unit: 'hours' } }],
      hosts: [{ mac: '52:54:00:00:00:01', ip: '10.1.0.5' }]
    })
  })

  it('keeps netboot (TFTP root, boot file and server) across an edit', () => {
    const base: NetworkDef = {
      name: 'pxe',
      forward: { mode: 'nat' },
      bridge: { name: 'virbr3' },
      ips: [
        {
          family: 'ipv4',
          address: '10.3.0.1',
          prefix: 24,
          tftp: { root: '/srv/tftp' },
          dhcp: {
            ranges: [{ start: '10.3.0.2', end: '10.3.0.9' }],
            hosts: [],
            bootp: { file: 'pxelinux.0', server: '10.3.0.1' }
          }
        }
      ]
    }
    const def = draftToDef({ ...draftFromDef(base, false, null), dhcpEnd: '10.3.0.90' }, base)
    expect(def.ips[0].tftp).toEqual({ root: '/srv/tftp' })
    expect(def.ips[0].dhcp?.bootp).toEqual({ file: 'pxelinux.0', server: '10.3.0.1' })
    expect(def.ips[0].dhcp?.ranges[0].end).toBe('10.3.0.90')
  })
})

describe('draftFromDef', () => {
  it('reads purpose, range and IPv6 mode back', () => {
    const def: NetworkDef = {
      name: 'iso',
      forward: { mode: 'none' },
      bridge: { name: 'virbr2' },
      domain: { name: 'iso.lan' },
      ips: [
        { family: 'ipv4', address: '10.9.0.1', prefix: 24 },
        { family: 'ipv6', address: '2001:db8:5::1', prefix: 64 }
      ]
    }
    expect(draftFromDef(def, true, 'fd00:1::/64')).toMatchObject({
      purpose: 'isolated',
      subnet: '10.9.0.1/24',
      gateway: '10.9.0.1',
      dhcp: false,
      ipv6Mode: 'own',
      ownPrefix: '2001:db8:5::1/64',
      ula64: 'fd00:1::/64',
      domain: 'iso.lan',
      autostart: true
    })
    expect(draftFromDef({ ...def, ips: [def.ips[0]], ipv6: true }, false, null).ipv6Mode).toBe('link-local')
  })

  it('round-trips a definition the wizard made', () => {
    const def = draftToDef(filled())
    expect(draftToDef(draftFromDef(def, true, null), def)).toEqual(def)
  })
})

describe('problems on steps and inputs', () => {
  const def = draftToDef(filled())

  it('puts each field on its step', () => {
    expect(stepOfField('name', def)).toBe('purpose')
    expect(stepOfField('bridge.name', def)).toBe('purpose')
    expect(stepOfField('ip[0].dhcp.range[0].start', def)).toBe('ipv4')
    expect(stepOfField('ips[1].address', def)).toBe('ipv6')
    expect(stepOfField('domain.name', def)).toBe('dns')
    expect(stepOfField('mtu', def)).toBe('review')
  })

  it('puts each field beside its input', () => {
    expect(inputOfField('ip[0].address', def)).toBe('subnet')
    expect(inputOfField('ip[0].dhcp.range[0].end', def)).toBe('dhcpEnd')
    expect(inputOfField('ips[0].dhcp.ranges[0].start', def)).toBe('dhcpStart')
    expect(inputOfField('ip[1].prefix', def)).toBe('ipv6')
    expect(inputOfField('bridge.name', def)).toBe('bridge')
    expect(inputOfField('forward.dev', def)).toBeNull()
  })

  it('asks for what is missing before leaving a step', () => {
    expect(missingOnStep('purpose', { ...filled(), name: ' ' }).map((p) => p.field)).toEqual(['name'])
    expect(missingOnStep('ipv4', { ...filled(), subnet: '' })).toHaveLength(1)
    expect(missingOnStep('ipv4', { ...filled(), dhcpEnd: '' })[0].field).toContain('dhcp')
    expect(missingOnStep('ipv6', { ...filled(), ipv6Mode: 'own' })).toHaveLength(1)
    expect(missingOnStep('ipv4', filled())).toEqual([])
  })

  it('knows which prefix a mode needs', () => {
    expect(chosenIpv6Prefix(filled())).toBe('fd12:3456:789a::/64')
    expect(chosenIpv6Prefix({ ...filled(), ipv6Mode: 'own', ownPrefix: ' 2001:db8::/64 ' })).toBe('2001:db8::/64')
    expect(chosenIpv6Prefix({ ...filled(), ipv6Mode: 'link-local' })).toBeNull()
  })
})
