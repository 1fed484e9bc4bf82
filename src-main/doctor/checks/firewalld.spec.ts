import { describe, expect, it } from 'vitest'

import { dualStackNetwork, natNetwork, observation } from '../../../test/unit-support/observation.fixture'
import type { ObservedFirewalld } from '../model'
import { checkFirewalld } from './firewalld'
import { parsePolicyInfo, parseStrictForwardPorts } from '../observe/firewalld'

function running(over: Partial<ObservedFirewalld> = {}): ObservedFirewalld {
  return {
    state: 'running',
    note: null,
    defaultZone: 'public',
    zones: ['block', 'public', 'trusted'],
    interfaceZones: { virbr0: null },
    zoneInfo: { public: { target: 'default', services: ['ssh', 'dhcpv6-client'] } },
    ...over
  }
}

describe('firewalld', () => {
  it('finds a bridge in no zone under public, and adds it to trusted without libvirt', () => {
    const [f] = checkFirewalld(observation({ firewalld: running() }))
    expect(f).toMatchObject({
      id: 'firewalld/virbr0',
      severity: 'error',
      title: 'firewalld blocks dhcp and dns on virbr0'
    })
    expect(f.fix?.commands).toEqual([
      {
        argv: ['firewall-cmd', '--zone=trusted', '--add-interface=virbr0'],
        undo: ['firewall-cmd', '--zone=trusted', '--remove-interface=virbr0']
      }
    ])
    expect(f.explanation).toMatch(/default zone \(public\) applies/)
  })

  it("prefers libvirt's zone, and moves the bridge back where it was on undo", () => {
    const fw = running({
      zones: ['libvirt', 'public', 'trusted', 'work'],
      interfaceZones: { virbr0: 'work' },
      zoneInfo: { work: { target: 'default', services: ['ssh', 'dhcp'] } }
    })
    const [f] = checkFirewalld(observation({ firewalld: fw }))
    expect(f.title).toBe('firewalld blocks dns on virbr0')
    expect(f.fix?.commands).toEqual([
      {
        argv: ['firewall-cmd', '--zone=libvirt', '--change-interface=virbr0'],
        undo: ['firewall-cmd', '--zone=work', '--change-interface=virbr0']
      }
    ])
  })

  it('is content with a zone that allows the services, accepts everything, or is trusted', () => {
    const ok = (zone: string, info: { target: string; services: string[] }): ObservedFirewalld =>
      running({ interfaceZones: { virbr0: zone }, zoneInfo: { [zone]: info } })
    expect(checkFirewalld(observation({ firewalld: ok('libvirt', { target: 'ACCEPT', services: [] }) }))).toEqual([])
    expect(
      checkFirewalld(observation({ firewalld: ok('home', { target: 'default', services: ['dhcp', 'dns'] }) }))
    ).toEqual([])
    expect(checkFirewalld(observation({ firewalld: ok('trusted', { target: 'default', services: [] }) }))).toEqual([])
  })

  it('asks for dhcpv6 on a network that serves it', () => {
    const fw = running({
      interfaceZones: { virbr1: 'home' },
      zoneInfo: { home: { target: 'default', services: ['dhcp', 'dns'] } }
    })
    const [f] = checkFirewalld(observation({ networks: [dualStackNetwork()], firewalld: fw }))
    expect(f.title).toBe('firewalld blocks dhcpv6 on virbr1')
  })

  it('says nothing when firewalld is absent, stopped, or in another namespace', () => {
    for (const state of ['absent', 'not-running', 'skipped', 'unknown'] as const) {
      expect(checkFirewalld(observation({ firewalld: running({ state }) }))).toEqual([])
    }
    expect(
      checkFirewalld(observation({ firewalld: running(), networks: [natNetwork({ dhcp4: false, dns: false })] }))
    ).toEqual([])
  })

  it("prefers guestnet's packaged zone over libvirt's", () => {
    const fw = running({ zones: ['guestnet', 'libvirt', 'public', 'trusted'] })
    const [f] = checkFirewalld(observation({ firewalld: fw }))
    expect(f.fix?.commands[0].argv).toEqual(['firewall-cmd', '--zone=guestnet', '--add-interface=virbr0'])
  })

  describe('policies and StrictForwardPorts', () => {
    const ok = { public: { target: 'default', services: ['dhcp', 'dns'] } }

    it('finds a zone no ACCEPT policy forwards out of (firewalld 0.9+), with a reversible policy as advice', () => {
      const fw = running({
        zoneInfo: ok,
        policies: { 'allow-host-ipv6': { target: 'CONTINUE', ingress: ['ANY'], egress: ['HOST'] } }
      })
      const found = checkFirewalld(observation({ firewalld: fw }))
      expect(found.map((f) => f.id)).toEqual(['firewalld/forward-virbr0'])
      expect(found[0].severity).toBe('error')
      expect(found[0].fix).toBeNull()
      expect(found[0].advice).toContain('--add-ingress-zone public')
      expect(found[0].advice).toContain('--delete-policy guestnet-out')
    })

    it('is satisfied by an ACCEPT policy out of the zone (or ANY), a zone with target ACCEPT, or an old firewalld without policies', () => {
      const out = (policies: ObservedFirewalld['policies'], zoneInfo = ok) =>
        checkFirewalld(observation({ firewalld: running({ zoneInfo, policies }) }))
      expect(out({ p: { target: 'ACCEPT', ingress: ['public'], egress: ['external'] } })).toEqual([])
      expect(out({ p: { target: 'ACCEPT', ingress: ['ANY'], egress: ['ANY'] } })).toEqual([])
      expect(out({ p: { target: 'ACCEPT', ingress: ['public'], egress: ['HOST'] } }).map((f) => f.id)).toEqual([
        'firewalld/forward-virbr0'
      ])
      expect(out({}, { public: { target: 'ACCEPT', services: [] } })).toEqual([])
      expect(out(undefined)).toEqual([])
    })

    it('leaves isolated networks alone (they forward nothing)', () => {
      const obs = observation({
        firewalld: running({ zoneInfo: ok, policies: {} }),
        networks: [natNetwork({ isolated: true, mode: 'none' })]
      })
      expect(checkFirewalld(obs)).toEqual([])
    })

    it('notes StrictForwardPorts=yes (read from firewalld.conf), which drops port forwards made outside firewalld', () => {
      const found = checkFirewalld(observation({ firewalld: running({ zoneInfo: ok, strictForwardPorts: true }) }))
      expect(found.map((f) => f.id)).toEqual(['firewalld/strict-forward-ports'])
      expect(found[0].severity).toBe('info')
      expect(checkFirewalld(observation({ firewalld: running({ zoneInfo: ok, strictForwardPorts: false }) }))).toEqual(
        []
      )
    })
  })

  it('reads policies and StrictForwardPorts', () => {
    expect(
      parsePolicyInfo(
        'allow-host-ipv6 (active)\n  priority: -15000\n  target: CONTINUE\n  ingress-zones: ANY\n  egress-zones: HOST\n'
      )
    ).toEqual({ target: 'CONTINUE', ingress: ['ANY'], egress: ['HOST'] })
    expect(parseStrictForwardPorts('# comment\nStrictForwardPorts=no\nStrictForwardPorts=yes\n')).toBe(true)
    expect(parseStrictForwardPorts('FirewallBackend=nftables\n')).toBeNull()
    expect(parseStrictForwardPorts(null)).toBeNull()
  })
})
