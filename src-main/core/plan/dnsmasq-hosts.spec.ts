import { describe, expect, it } from 'vitest'

import { dhcpHostLine, formatLease, renderAddnHosts, renderDhcpHostsfile } from './dnsmasq-hosts'
import { analyseNetwork } from './network-shape'
import { defaultNet, v4, v6 } from '../../../test/unit-support/plan-defs.fixture'

describe('formatLease', () => {
  it('writes dnsmasq units and infinite for 0', () => {
    expect(formatLease({ expiry: 2, unit: 'hours' })).toBe('2h')
    expect(formatLease({ expiry: 30, unit: 'minutes' })).toBe('30m')
    expect(formatLease({ expiry: 3600, unit: 'seconds' })).toBe('3600s')
    expect(formatLease({ expiry: 0, unit: 'minutes' })).toBe('infinite')
  })
})

describe('dhcpHostLine', () => {
  it('IPv4: mac,ip[,name][,lease], or name,ip without a MAC', () => {
    expect(dhcpHostLine({ mac: '00:16:3e:77:e2:ed', ip: '192.168.122.10', name: 'a.example.com' }, false)).toBe(
      '00:16:3e:77:e2:ed,192.168.122.10,a.example.com'
    )
    expect(dhcpHostLine({ mac: '00:16:3e:77:e2:ed', ip: '192.168.122.10' }, false)).toBe(
      '00:16:3e:77:e2:ed,192.168.122.10'
    )
    expect(dhcpHostLine({ name: 'web', ip: '192.168.122.11' }, false)).toBe('web,192.168.122.11')
    expect(
      dhcpHostLine(
        { mac: '00:16:3e:77:e2:ed', ip: '192.168.122.10', name: 'a', lease: { expiry: 0, unit: 'hours' } },
        false
      )
    ).toBe('00:16:3e:77:e2:ed,192.168.122.10,a,infinite')
  })

  it('IPv6: id:DUID and/or name, then the address in brackets (canonical form)', () => {
    expect(
      dhcpHostLine({ id: '0:3:0:1:0:16:3e:11:22:33', name: 'peter.xyz', ip: '2001:db8:ac10:fd01::1:22' }, true)
    ).toBe('id:0:3:0:1:0:16:3e:11:22:33,peter.xyz,[2001:db8:ac10:fd01::1:22]')
    expect(dhcpHostLine({ name: 'paul', ip: '2001:DB8:0:0::21' }, true)).toBe('paul,[2001:db8::21]')
    expect(dhcpHostLine({ id: '0:4:7e', ip: '2001:db8::20' }, true)).toBe('id:0:4:7e,[2001:db8::20]')
  })

  it('skips a host without an address', () => {
    expect(dhcpHostLine({ mac: '00:16:3e:77:e2:ed', name: 'x' }, false)).toBeNull()
  })
})

describe('renderDhcpHostsfile', () => {
  it('lists IPv4 hosts, then IPv6 hosts, one a line', () => {
    const shape = analyseNetwork(
      defaultNet({
        ips: [
          v6('2001:db8::1', 64, { hosts: [{ name: 'six', ip: '2001:db8::6' }] }),
          v4('192.168.122.1', 24, { hosts: [{ mac: '52:54:00:00:00:01', ip: '192.168.122.4' }] })
        ]
      })
    )
    expect(renderDhcpHostsfile(shape.dhcp4, shape.dhcp6)).toBe('52:54:00:00:00:01,192.168.122.4\nsix,[2001:db8::6]\n')
  })

  it('is empty without DHCP hosts', () => {
    expect(renderDhcpHostsfile(undefined, undefined)).toBe('')
  })
})

describe('renderAddnHosts', () => {
  it('writes hosts-file lines and merges names of the same address', () => {
    const text = renderAddnHosts([
      { ip: '192.168.122.1', hostnames: ['host', 'gateway'] },
      { ip: 'fd00::0:1', hostnames: ['six'] },
      { ip: '192.168.122.1', hostnames: ['router'] }
    ])
    expect(text).toBe('192.168.122.1\thost\tgateway\trouter\nfd00::1\tsix\n')
  })

  it('adds each named DHCP reservation, so no other lease can take its name', () => {
    const text = renderAddnHosts(
      [{ ip: '192.168.122.60', hostnames: ['printer'] }],
      [
        { mac: '52:54:00:00:00:50', name: 'web', ip: '192.168.122.50' },
        { mac: '52:54:00:00:00:51', ip: '192.168.122.51' },
        { id: '0:1:0:1', name: 'web', ip: 'fd00::50' },
        { mac: '52:54:00:00:00:52', name: 'printer', ip: '192.168.122.60' }
      ]
    )
    expect(text).toBe('192.168.122.60\tprinter\n192.168.122.50\tweb\nfd00::50\tweb\n')
  })
})
