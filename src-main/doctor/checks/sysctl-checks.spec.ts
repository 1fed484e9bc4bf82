import { describe, expect, it } from 'vitest'

import { dualStackNetwork, natNetwork, observation } from '../../../test/unit-support/observation.fixture'
import type { Finding } from '../model'
import { checkAcceptRa } from './accept-ra'
import { checkBrNetfilter } from './br-netfilter'
import { checkForwarding } from './forwarding'
import { checkPrograms } from './programs'

describe('forwarding', () => {
  it('is an error while a forwarding network runs, fixed by setting 1 and undone only if still 1', () => {
    const [f] = checkForwarding(observation({ sysctls: { 'net.ipv4.ip_forward': '0' } }))
    expect(f).toMatchObject({ id: 'forwarding/ipv4', severity: 'error' })
    expect(f.fix?.commands).toEqual([
      {
        argv: ['@sysctl', 'net.ipv4.ip_forward', '1'],
        undo: ['@sysctl-restore', 'net.ipv4.ip_forward']
      }
    ])
  })

  it('is only a note for defined networks (guestnet turns it on at start)', () => {
    const [f] = checkForwarding(
      observation({ networks: [natNetwork({ running: false })], sysctls: { 'net.ipv4.ip_forward': '0' } })
    )
    expect(f).toMatchObject({ severity: 'info', fix: null })
  })

  it('looks at IPv6 only for networks with IPv6, and never for isolated ones', () => {
    const sysctls = { 'net.ipv4.ip_forward': '1', 'net.ipv6.conf.all.forwarding': '0' }
    expect(checkForwarding(observation({ sysctls }))).toEqual([])
    expect(checkForwarding(observation({ sysctls, networks: [dualStackNetwork()] })).map((f) => f.id)).toEqual([
      'forwarding/ipv6'
    ])
    expect(
      checkForwarding(
        observation({
          sysctls: { 'net.ipv4.ip_forward': '0' },
          networks: [natNetwork({ isolated: true, mode: 'none' })]
        })
      )
    ).toEqual([])
  })
})

describe('br-netfilter', () => {
  const on = { 'net.bridge.bridge-nf-call-iptables': '1', 'net.bridge.bridge-nf-call-ip6tables': '0' }
  it('is a note alone, a warning with a forward drop in the way', () => {
    const [alone] = checkBrNetfilter(observation({ sysctls: on }), [])
    expect(alone).toMatchObject({ id: 'br-netfilter', severity: 'info' })
    expect(alone.fix?.commands).toEqual([
      {
        argv: ['@sysctl', 'net.bridge.bridge-nf-call-iptables', '0'],
        undo: ['@sysctl-restore', 'net.bridge.bridge-nf-call-iptables']
      }
    ])
    expect(alone.explanation).toMatch(/Trade-off: Docker and Kubernetes rely on 1/)
    const drop = { id: 'iptables-drop/ipv4-nft-forward', check: 'iptables-drop' } as Finding
    expect(checkBrNetfilter(observation({ sysctls: on }), [drop])[0].severity).toBe('warning')
  })

  it('says nothing when off, not loaded, or without networks', () => {
    expect(checkBrNetfilter(observation(), [])).toEqual([])
    expect(checkBrNetfilter(observation({ sysctls: on, networks: [] }), [])).toEqual([])
  })
})

describe('accept-ra', () => {
  const routes = [{ family: 6 as const, dst: '::/0', dev: 'wlan0', protocol: 'ra', table: 'main' }]
  it('finds an RA uplink with accept_ra=1 while forwarding, and sets 2', () => {
    const sysctls = { 'net.ipv6.conf.all.forwarding': '1', 'net.ipv6.conf.wlan0.accept_ra': '1' }
    const [f] = checkAcceptRa(observation({ routes, sysctls }))
    expect(f).toMatchObject({ id: 'accept-ra/wlan0', severity: 'warning' })
    expect(f.fix?.commands[0].argv).toEqual(['@sysctl', 'net.ipv6.conf.wlan0.accept_ra', '2'])
  })

  it('uses the slash form for a VLAN name, and is quiet without forwarding or with 0 or 2', () => {
    const vlan = [{ ...routes[0], dev: 'eth0.100' }]
    const [f] = checkAcceptRa(
      observation({
        routes: vlan,
        sysctls: { 'net.ipv6.conf.all.forwarding': '1', 'net/ipv6/conf/eth0.100/accept_ra': '1' }
      })
    )
    expect(f.fix?.commands[0].argv[1]).toBe('net/ipv6/conf/eth0.100/accept_ra')
    for (const s of [
      { 'net.ipv6.conf.all.forwarding': '0', 'net.ipv6.conf.wlan0.accept_ra': '1' },
      { 'net.ipv6.conf.all.forwarding': '1', 'net.ipv6.conf.wlan0.accept_ra': '2' },
      { 'net.ipv6.conf.all.forwarding': '1', 'net.ipv6.conf.wlan0.accept_ra': '0' }
    ]) {
      expect(checkAcceptRa(observation({ routes, sysctls: s }))).toEqual([])
    }
  })
})

describe('programs', () => {
  it('names the missing programs and their Debian packages', () => {
    const [f] = checkPrograms(observation({ programs: { ip: '/usr/sbin/ip', nft: null, dnsmasq: null } }))
    expect(f).toMatchObject({ id: 'programs', severity: 'error', fix: null, title: 'missing programs: nft, dnsmasq' })
    expect(f.advice).toBe('install the Debian packages nftables dnsmasq-base: apt-get install nftables dnsmasq-base')
    expect(checkPrograms(observation())).toEqual([])
  })
})
