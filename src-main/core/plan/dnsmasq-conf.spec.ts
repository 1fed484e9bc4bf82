import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../model/network'
import { DEFAULT_DNSMASQ_USER, dnsmasqValue, isGuestnetExtraLine, renderDnsmasqConf } from './dnsmasq-conf'
import { networkPaths } from './network-paths'
import { analyseNetwork } from './network-shape'
import { defaultNet, PATHS, ULA, v4, v6 } from '../../../test/unit-support/plan-defs.fixture'

function conf(def: NetworkDef): string[] {
  const text = renderDnsmasqConf(analyseNetwork(def), {
    paths: networkPaths(PATHS, def.name),
    user: DEFAULT_DNSMASQ_USER
  })
  expect(text.endsWith('\n')).toBe(true)
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))
}

/** libvirt's part only: the lines before guestnet's additions. */
function libvirtPart(def: NetworkDef): string[] {
  return conf(def).filter((l) => !isGuestnetExtraLine(l, def.bridge?.name ?? ''))
}

describe('renderDnsmasqConf, libvirt part', () => {
  it('the default network', () => {
    expect(libvirtPart(defaultNet())).toEqual([
      'strict-order',
      'except-interface=lo',
      'bind-dynamic',
      'interface=virbr0',
      'dhcp-range=192.168.122.2,192.168.122.254,255.255.255.0',
      'dhcp-no-override',
      'dhcp-authoritative',
      'dhcp-lease-max=253',
      'dhcp-hostsfile=/run/guestnet/default/hostsfile',
      'addn-hosts=/run/guestnet/default/addnhosts'
    ])
  })

  it('isolated: no router option, no upstream DNS, RAs without a default route', () => {
    const lines = libvirtPart(defaultNet({ forward: { mode: 'none' } }))
    expect(lines.slice(4, 7)).toEqual(['dhcp-option=3', 'no-resolv', 'ra-param=*,0,0'])
  })

  it('dns enable=no: port=0 and no addn-hosts, DHCP still served', () => {
    const lines = libvirtPart(
      defaultNet({ dns: { enable: false, forwarders: [], hosts: [], srvs: [], txts: [{ name: 'a', value: 'b' }] } })
    )
    expect(lines[1]).toBe('port=0')
    expect(lines.some((l) => l.startsWith('addn-hosts=') || l.startsWith('txt-record='))).toBe(false)
    expect(lines).toContain('dhcp-range=192.168.122.2,192.168.122.254,255.255.255.0')
  })

  it('forwarders: a plain address means no-resolv (before the servers, as libvirt writes it), a domain alone means answer locally', () => {
    const lines = libvirtPart(
      defaultNet({
        dns: {
          forwarders: [{ domain: 'example.com', addr: '192.168.1.1' }, { addr: '8.8.8.8' }, { domain: 'local.lan' }],
          hosts: [],
          srvs: [],
          txts: []
        }
      })
    )
    expect(lines.slice(1, 5)).toEqual([
      'no-resolv',
      'server=/example.com/192.168.1.1',
      'server=8.8.8.8',
      'server=/local.lan/#'
    ])
  })

  it('domain, localOnly, localPtr and forwardPlainNames=no in libvirt order', () => {
    const def = defaultNet({
      domain: { name: 'lab.test', localOnly: true },
      dns: { forwardPlainNames: false, forwarders: [], hosts: [], srvs: [], txts: [] }
    })
    def.ips[0].localPtr = true
    expect(libvirtPart(def).slice(1, 7)).toEqual([
      'local=/lab.test/',
      'domain=lab.test',
      'expand-hosts',
      'local=/122.168.192.in-addr.arpa/',
      'domain-needed',
      'local=//'
    ])
  })

  it('forwardPlainNames unset or yes adds nothing (current libvirt semantics)', () => {
    for (const forwardPlainNames of [undefined, true]) {
      const lines = libvirtPart(
        defaultNet({ dns: { forwardPlainNames, forwarders: [], hosts: [], srvs: [], txts: [] } })
      )
      expect(lines).not.toContain('domain-needed')
    }
  })

  it('srv records fill skipped positional fields as libvirt does', () => {
    const srvs = [
      { service: 'name', protocol: 'tcp' },
      { service: 'ldap', protocol: 'tcp', domain: 'x.com', target: 'ldap.x.com', weight: 5 },
      { service: 'sip', protocol: 'udp', target: 'sip.x.com', priority: 3 },
      { service: 'no', protocol: 'tcp', target: '.', port: 99 }
    ]
    const lines = libvirtPart(defaultNet({ dns: { forwarders: [], hosts: [], srvs, txts: [] } }))
    expect(lines.filter((l) => l.startsWith('srv-host='))).toEqual([
      'srv-host=_name._tcp',
      'srv-host=_ldap._tcp.x.com,ldap.x.com,1,0,5',
      'srv-host=_sip._udp,sip.x.com,1,3',
      'srv-host=_no._tcp'
    ])
  })

  it('IPv6 without DHCP: ra-only per address; with DHCP: range with prefix and enable-ra', () => {
    const ra = libvirtPart(defaultNet({ ips: [v4('192.168.122.1', 24), v6(ULA, 64), v6('fd00:1::1', 64)] }))
    expect(ra.slice(-2)).toEqual([`dhcp-range=${ULA},ra-only`, 'dhcp-range=fd00:1::1,ra-only'])
    const dhcp6 = libvirtPart(
      defaultNet({ ips: [v6('2001:db8::1', 64, { ranges: [{ start: '2001:db8::1:10', end: '2001:db8::1:ff' }] })] })
    )
    expect(dhcp6).toContain('dhcp-range=2001:db8::1:10,2001:db8::1:ff,64')
    expect(dhcp6).toContain('dhcp-lease-max=240')
    expect(dhcp6.at(-1)).toBe('enable-ra')
    expect(dhcp6).not.toContain('dhcp-no-override')
  })

  it('static-only DHCP switches the service on with a static range', () => {
    const lines = libvirtPart(
      defaultNet({
        ips: [
          v4('192.168.122.1', 24, { hosts: [{ mac: '00:16:3e:77:e2:ed', ip: '192.168.122.10' }] }),
          v6('2001:db8::1', 64, { hosts: [{ name: 'paul', ip: '2001:db8::21' }] })
        ]
      })
    )
    expect(lines).toContain('dhcp-range=192.168.122.1,static')
    expect(lines).toContain('dhcp-range=2001:db8::1,static,64')
    expect(lines.some((l) => l.startsWith('dhcp-lease-max'))).toBe(false)
  })

  it('leases on ranges and the MTU option', () => {
    const def = defaultNet({ mtu: 9000 })
    def.ips[0].dhcp = {
      ranges: [{ start: '192.168.122.2', end: '192.168.122.254', lease: { expiry: 1, unit: 'hours' } }],
      hosts: []
    }
    const lines = libvirtPart(def)
    expect(lines).toContain('dhcp-range=192.168.122.2,192.168.122.254,255.255.255.0,1h')
    expect(lines.at(-1)).toBe('dhcp-option=option:mtu,9000')
  })

  it('no dhcp-hostsfile without DHCP', () => {
    expect(libvirtPart(defaultNet({ ips: [v4('10.1.0.1', 16)] })).some((l) => l.startsWith('dhcp-hostsfile'))).toBe(
      false
    )
  })
})

describe('renderDnsmasqConf, guestnet additions', () => {
  it('come last, after a marker, and are exactly the lines isGuestnetExtraLine names', () => {
    const text = renderDnsmasqConf(analyseNetwork(defaultNet({ ips: [...defaultNet().ips, v6(ULA, 64)] })), {
      paths: networkPaths(PATHS, 'default'),
      user: { user: 'dnsmasq', group: 'nogroup' }
    })
    const extra = text.split('## guestnet additions\n')[1].trim().split('\n')
    expect(extra).toEqual([
      'pid-file=/run/guestnet/default/dnsmasq.pid',
      'dhcp-leasefile=/var/lib/guestnet/dnsmasq/default.leases',
      'user=dnsmasq',
      'group=nogroup',
      'no-ping',
      'dhcp-rapid-commit',
      'ra-param=virbr0,10,1800'
    ])
    const before = text.split('## guestnet additions\n')[0].split('\n')
    expect(before.filter((l) => isGuestnetExtraLine(l, 'virbr0'))).toEqual([])
    expect(extra.every((l) => isGuestnetExtraLine(l, 'virbr0'))).toBe(true)
    expect(isGuestnetExtraLine('ra-param=*,0,0', 'virbr0')).toBe(false)
  })

  it("announce a narrower uplink's MTU: DHCP option 26 and the RA MTU option, as guestnet's lines", () => {
    const text = renderDnsmasqConf(analyseNetwork(defaultNet({ ips: [...defaultNet().ips, v6(ULA, 64)] })), {
      paths: networkPaths(PATHS, 'default'),
      user: { user: 'dnsmasq', group: 'nogroup' },
      uplinkMtu: 1420
    })
    const [libvirtPart, extra] = text.split('## guestnet additions\n')
    expect(extra).toContain('dhcp-option=26,1420\n')
    expect(extra).toContain('ra-param=virbr0,mtu:1420,10,1800\n')
    expect(libvirtPart).not.toContain('mtu')
    expect(
      extra
        .trim()
        .split('\n')
        .every((l) => isGuestnetExtraLine(l, 'virbr0'))
    ).toBe(true)
    // libvirt's own line for <mtu size> is not one of guestnet's
    expect(isGuestnetExtraLine('dhcp-option=option:mtu,9000', 'virbr0')).toBe(false)
  })

  it('announce nothing without an uplink MTU, and no option 26 without DHCPv4', () => {
    const plain = renderDnsmasqConf(analyseNetwork(defaultNet()), {
      paths: networkPaths(PATHS, 'default'),
      user: DEFAULT_DNSMASQ_USER,
      uplinkMtu: null
    })
    expect(plain).not.toMatch(/mtu/)
    const ra6 = renderDnsmasqConf(analyseNetwork(defaultNet({ ips: [v6(ULA, 64)] })), {
      paths: networkPaths(PATHS, 'default'),
      user: DEFAULT_DNSMASQ_USER,
      uplinkMtu: 1280
    })
    expect(ra6).not.toContain('dhcp-option=26')
    expect(ra6).toContain('ra-param=virbr0,mtu:1280,10,1800')
  })

  it('no lease file, no-ping or rapid commit without DHCPv4; RA lifetime 0 when isolated', () => {
    const lines = conf({ name: 'iso6', forward: { mode: 'none' }, bridge: { name: 'gn1' }, ips: [v6(ULA, 64)] })
    expect(lines.filter((l) => /^(dhcp-leasefile|no-ping|dhcp-rapid-commit)/.test(l))).toEqual([])
    expect(lines).toContain('ra-param=gn1,10,0')
  })

  it('quotes paths that dnsmasq would otherwise cut or comment out', () => {
    expect(dnsmasqValue('/run/guestnet/plain/hostsfile')).toBe('/run/guestnet/plain/hostsfile')
    expect(dnsmasqValue('/run/a "b"/x')).toBe('"/run/a \\"b\\"/x"')
    expect(dnsmasqValue('/run/a #b')).toBe('"/run/a #b"')
    // A network's own paths use its key (core/store/network-key.ts), which needs no quoting.
    const lines = conf(defaultNet({ name: 'q"q #x' }))
    expect(lines).toContain('dhcp-hostsfile=/run/guestnet/%q_22q_20_23x/hostsfile')
  })
})
