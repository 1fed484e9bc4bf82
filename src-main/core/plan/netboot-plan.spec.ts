/** Network boot in the plan: dnsmasq's tftp/dhcp-boot lines, the input rule for TFTP, the steps. */
import { describe, expect, it } from 'vitest'

import type { DhcpBootp, NetworkDef } from '../model/network'
import type { Plan } from '../model/plan'
import { buildPlan } from './build-plan'
import { isGuestnetExtraLine } from './dnsmasq-conf'
import { nftChains } from './nft-ruleset'
import { analyseNetwork } from './network-shape'
import { PlanError } from './plan-error'
import { defaultNet, PATHS, ULA, v4, v6 } from '../../../test/unit-support/plan-defs.fixture'

const plan = (def: NetworkDef): Plan => buildPlan(def, { paths: PATHS })

/** The config's option lines from libvirt's part (guestnet's additions left out). */
function libvirtPart(def: NetworkDef): string[] {
  return plan(def)
    .dnsmasqConf.split('\n')
    .filter((l) => l !== '' && !l.startsWith('#') && !isGuestnetExtraLine(l, def.bridge?.name ?? ''))
}

/** The default network with a TFTP root and/or a boot file on its IPv4 address. */
function netboot(tftp: string | undefined, bootp: DhcpBootp | undefined, over: Partial<NetworkDef> = {}): NetworkDef {
  const def = defaultNet(over)
  const ip = def.ips[0]
  if (tftp !== undefined) ip.tftp = { root: tftp }
  if (bootp && ip.dhcp) ip.dhcp.bootp = bootp
  return def
}

const inputRules = (def: NetworkDef): string[] =>
  nftChains(analyseNetwork(def))
    .find((c) => c.name === 'input')
    ?.lines.filter((l) => !l.startsWith('#')) ?? []

describe('dnsmasq config for network boot', () => {
  it("libvirt's netboot-network: enable-tftp, tftp-root and dhcp-boot after the IPv4 DHCP lines", () => {
    expect(libvirtPart(netboot('/var/lib/tftproot', { file: 'pxeboot.img' }))).toEqual([
      'strict-order',
      'except-interface=lo',
      'bind-dynamic',
      'interface=virbr0',
      'dhcp-range=192.168.122.2,192.168.122.254,255.255.255.0',
      'dhcp-no-override',
      'dhcp-authoritative',
      'enable-tftp',
      'tftp-root=/var/lib/tftproot',
      'dhcp-boot=pxeboot.img',
      'dhcp-lease-max=253',
      'dhcp-hostsfile=/run/guestnet/default/hostsfile',
      'addn-hosts=/run/guestnet/default/addnhosts'
    ])
  })

  it("libvirt's netboot-proxy-network: another TFTP server as dhcp-boot=FILE,,SERVER, no TFTP of our own", () => {
    const lines = libvirtPart(netboot(undefined, { file: 'pxeboot.img', server: '10.20.30.40' }))
    expect(lines.slice(5, 8)).toEqual(['dhcp-no-override', 'dhcp-authoritative', 'dhcp-boot=pxeboot.img,,10.20.30.40'])
    expect(lines.some((l) => l.startsWith('enable-tftp') || l.startsWith('tftp-root'))).toBe(false)
  })

  it('a TFTP root on an address without DHCP is still served (netboot-tftp), with the IPv6 lines after it', () => {
    const def = defaultNet({
      ips: [
        { ...v4('192.168.122.1', 24), tftp: { root: '/srv/tftp' } },
        v6(ULA, 64, { ranges: [{ start: 'fd12:3456:789a:1::100', end: 'fd12:3456:789a:1::1ff' }] })
      ]
    })
    const lines = libvirtPart(def)
    expect(lines.slice(4, 7)).toEqual([
      'enable-tftp',
      'tftp-root=/srv/tftp',
      'dhcp-range=fd12:3456:789a:1::100,fd12:3456:789a:1::1ff,64'
    ])
    expect(lines.some((l) => l.startsWith('dhcp-boot'))).toBe(false)
  })

  it('runs dnsmasq for TFTP alone, even with DNS off and no DHCP (as libvirt does)', () => {
    const def = defaultNet({
      dns: { enable: false, forwarders: [], hosts: [], srvs: [], txts: [] },
      ips: [{ ...v4('192.168.122.1', 24), tftp: { root: '/srv/tftp' } }]
    })
    const p = plan(def)
    expect(p.steps.map((s) => s.id)).toContain('dnsmasq')
    expect(p.dnsmasqConf).toContain('port=0\n')
    expect(p.dnsmasqConf).toContain('enable-tftp\ntftp-root=/srv/tftp\n')
    delete def.ips[0].tftp
    expect(plan(def).steps.map((s) => s.id)).not.toContain('dnsmasq')
  })

  it('without network boot nothing changes: no tftp or dhcp-boot line, no port 69', () => {
    expect(plan(defaultNet()).dnsmasqConf).not.toMatch(/tftp|dhcp-boot/)
    expect(plan(defaultNet()).nftRuleset).not.toContain('dport 69')
  })

  it('writes the server address canonically', () => {
    expect(libvirtPart(netboot(undefined, { file: 'ipxe.efi', server: '10.20.30.40' }))).toContain(
      'dhcp-boot=ipxe.efi,,10.20.30.40'
    )
  })

  it('refuses to write a value that would add a field or an option, whatever the validator let through', () => {
    const cases: [NetworkDef, string][] = [
      [netboot('/srv/tftp,eth0', undefined), 'ip[0].tftp.root'],
      [netboot('/srv/tftp\ndhcp-script=/tmp/x', undefined), 'ip[0].tftp.root'],
      [netboot(undefined, { file: 'a b' }), 'ip[0].dhcp.bootp.file'],
      [netboot(undefined, { file: 'a"b' }), 'ip[0].dhcp.bootp.file'],
      [netboot(undefined, { file: 'pxelinux.0', server: '10.0.0.1,x' }), 'ip[0].dhcp.bootp.server'],
      [netboot(undefined, { file: '' }), 'ip[0].dhcp.bootp.file']
    ]
    for (const [def, field] of cases) {
      let error: unknown
      try {
        plan(def)
      } catch (e) {
        error = e
      }
      expect(error, field).toBeInstanceOf(PlanError)
      expect((error as PlanError).field).toBe(field)
    }
  })

  it('refuses tftp on IPv6 or on two addresses', () => {
    const six = defaultNet({ ips: [v4('192.168.122.1', 24), { ...v6(ULA, 64), tftp: { root: '/srv/tftp' } }] })
    expect(() => plan(six)).toThrow(/ip\[1\]\.tftp: only one IPv4 address/)
    const two = defaultNet({
      ips: [
        { ...v4('192.168.122.1', 24), tftp: { root: '/a' } },
        { ...v4('10.1.0.1', 24), tftp: { root: '/b' } }
      ]
    })
    expect(() => plan(two)).toThrow(/ip\[1\]\.tftp/)
  })
})

describe('firewall and steps for network boot', () => {
  it('accepts TFTP requests from the bridge on the input hook, after DHCP', () => {
    expect(inputRules(netboot('/srv/tftp', { file: 'pxelinux.0' }))).toEqual([
      'iifname "virbr0" udp dport 67 accept',
      'iifname "virbr0" udp dport 69 accept',
      'iifname "virbr0" meta l4proto { tcp, udp } th dport 53 accept'
    ])
  })

  it('opens no port 69 for a boot file served by another TFTP server', () => {
    expect(inputRules(netboot(undefined, { file: 'pxelinux.0', server: '10.20.30.40' }))).not.toContain(
      'iifname "virbr0" udp dport 69 accept'
    )
  })

  it("says TFTP in the dnsmasq step's title", () => {
    const title = (def: NetworkDef): string | undefined => plan(def).steps.find((s) => s.id === 'dnsmasq')?.title
    expect(title(netboot('/srv/tftp', undefined))).toBe('Start dnsmasq (DHCP, DNS, router advertisements, TFTP)')
    expect(title(defaultNet())).toBe('Start dnsmasq (DHCP, DNS, router advertisements)')
  })
})
