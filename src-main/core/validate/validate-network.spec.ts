import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../model/network'
import type { Problem } from '../model/problem'
import { validDef } from '../../../test/unit-support/valid-network.fixture'
import { validateNetwork } from './validate-network'

function problemsAfter(change: (d: NetworkDef) => void): Problem[] {
  const def = validDef()
  change(def)
  return validateNetwork(def)
}

describe('validateNetwork on a good definition', () => {
  it('finds nothing wrong', () => {
    expect(validateNetwork(validDef())).toEqual([])
  })
  it('accepts a minimal isolated network and a network with no addresses', () => {
    expect(validateNetwork({ name: 'iso', forward: { mode: 'none' }, ips: [] })).toEqual([])
    expect(
      validateNetwork({
        name: 'a+b_c.d-1',
        forward: { mode: 'route' },
        ips: [{ family: 'ipv4', address: '10.1.2.1', prefix: 8 }]
      })
    ).toEqual([])
  })
})

// Each rule with an input that breaks it: [what, change, field, message].
const CASES: [string, (d: NetworkDef) => void, string, RegExp][] = [
  ['empty name', (d) => (d.name = ''), 'name', /empty/],
  ['slash in name', (d) => (d.name = 'a/b'), 'name', /'\/' is not allowed in a network name/],
  ['slash in name', (d) => (d.name = 'my/net'), 'name', /'\/' is not allowed/],
  ['newline in name', (d) => (d.name = 'a\nb'), 'name', /a newline is not allowed/],
  ['escape in name', (d) => (d.name = 'a\u001b[2Jb'), 'name', /U\+001B is not allowed/],
  ['dot-dot name', (d) => (d.name = '..'), 'name', /stands for a directory/],
  ['long name', (d) => (d.name = 'x'.repeat(201)), 'name', /too long to be a file name/],
  ['bad uuid', (d) => (d.uuid = '3e3fce45-4f53-4fa7-bb32'), 'uuid', /is not a UUID/],
  ['nil uuid', (d) => (d.uuid = '00000000-0000-0000-0000-000000000000'), 'uuid', /nil/],
  ['title with newline', (d) => (d.title = 'a\nb'), 'title', /a newline is not allowed in the title/],
  ['description with NUL', (d) => (d.description = 'a\u0000b'), 'description', /U\+0000/],
  ['bridge too long', (d) => (d.bridge = { name: 'virbr-very-long0' }), 'bridge.name', /at most 15/],
  [
    'bridge with slash',
    (d) => (d.bridge = { name: 'vir/br' }),
    'bridge.name',
    /'\/' is not allowed in an interface name/
  ],
  ['bridge with space', (d) => (d.bridge = { name: 'vir br' }), 'bridge.name', /a space/],
  ['bridge template', (d) => (d.bridge = { name: 'virbr%d' }), 'bridge.name', /template/],
  ['bridge dot', (d) => (d.bridge = { name: '.' }), 'bridge.name', /not a valid interface name/],
  ['bridge delay', (d) => (d.bridge = { name: 'virbr1', delay: 31 }), 'bridge.delay', /out of range/],
  ['multicast mac', (d) => (d.mac = '01:00:5e:00:00:01'), 'mac.address', /multicast/],
  ['zero mac', (d) => (d.mac = '00:00:00:00:00:00'), 'mac.address', /all-zero/],
  ['bad mac', (d) => (d.mac = '52:54:00:12:34'), 'mac.address', /is not a MAC address/],
  ['mtu low', (d) => (d.mtu = 67), 'mtu.size', /MTU 67 is out of range/],
  ['mtu high', (d) => (d.mtu = 65536), 'mtu.size', /out of range/],
  ['forward dev', (d) => (d.forward.dev = 'eth 0'), 'forward.dev', /a space/],
  [
    'forward dev on open',
    (d) => (d.forward = { mode: 'open', dev: 'eth0' }),
    'forward.dev',
    /not allowed with mode='open'/
  ],
  ['forward dev on isolated', (d) => (d.forward = { mode: 'none', dev: 'eth0' }), 'forward.dev', /no uplink/],
  [
    'nat on route',
    (d) => (d.forward = { mode: 'route', nat: { portStart: 1024, portEnd: 2048 } }),
    'forward.nat',
    /only allowed with mode='nat'/
  ],
  [
    'nat port 0',
    (d) => (d.forward.nat = { portStart: 0, portEnd: 100 }),
    'forward.nat.port.start',
    /port 0 is out of range/
  ],
  ['nat port high', (d) => (d.forward.nat = { portStart: 1, portEnd: 70000 }), 'forward.nat.port.end', /out of range/],
  [
    'nat ports reversed',
    (d) => (d.forward.nat = { portStart: 2000, portEnd: 1000 }),
    'forward.nat.port.end',
    /ends \(1000\) before it starts \(2000\)/
  ],
  ['nat port half', (d) => (d.forward.nat = { portStart: 2000 }), 'forward.nat.port.end', /no end/],
  [
    'nat address bad',
    (d) => (d.forward.nat = { addressStart: '203.0.113.300', addressEnd: '203.0.113.1' }),
    'forward.nat.address.start',
    /not an IPv4 address/
  ],
  [
    'nat address reversed',
    (d) => (d.forward.nat = { addressStart: '203.0.113.9', addressEnd: '203.0.113.1' }),
    'forward.nat.address.end',
    /before it starts/
  ],
  ['ipv4 address bad', (d) => (d.ips[0].address = '192.168.123'), 'ip[0].address', /is not an IPv4 address/],
  ['ipv6 address in ipv4', (d) => (d.ips[0].address = 'fd00::1'), 'ip[0].address', /is not an IPv4 address/],
  ['ipv4 prefix 0', (d) => (d.ips[0].prefix = 0), 'ip[0].prefix', /out of range/],
  ['ipv4 prefix 31 with dhcp', (d) => (d.ips[0].prefix = 31), 'ip[0].prefix', /no room for DHCP/],
  [
    'ipv4 network address',
    (d) => (d.ips[0].address = '192.168.123.0'),
    'ip[0].address',
    /network address of 192\.168\.123\.0\/24/
  ],
  ['ipv4 broadcast', (d) => (d.ips[0].address = '192.168.123.255'), 'ip[0].address', /broadcast address/],
  ['loopback', (d) => (d.ips[0] = { family: 'ipv4', address: '127.0.0.1', prefix: 8 }), 'ip[0].address', /loopback/],
  [
    'link-local',
    (d) => (d.ips[0] = { family: 'ipv4', address: '169.254.1.1', prefix: 16 }),
    'ip[0].address',
    /link-local/
  ],
  ['multicast', (d) => (d.ips[0] = { family: 'ipv4', address: '239.1.1.1', prefix: 24 }), 'ip[0].address', /multicast/],
  ['ipv6 /56 with RA', (d) => (d.ips[1].prefix = 56), 'ip[1].prefix', /SLAAC.*\/64/],
  ['ipv6 network address', (d) => (d.ips[1].address = 'fd12:3456:789a:1::'), 'ip[1].address', /network address/],
  [
    'ipv6 link-local',
    (d) => (d.ips[1] = { family: 'ipv6', address: 'fe80::1', prefix: 64 }),
    'ip[1].address',
    /link-local/
  ],
  [
    'localPtr on /20',
    (d) => Object.assign(d.ips[0], { prefix: 20, localPtr: true, dhcp: undefined }),
    'ip[0].localPtr',
    /multiple of 8/
  ],
  [
    'overlapping ips',
    (d) => d.ips.push({ family: 'ipv4', address: '192.168.123.129', prefix: 25 }),
    'ip[2].address',
    /overlaps 192\.168\.123\.0\/24 of ip\[0\]/
  ],
  [
    'two IPv4 dhcp',
    (d) =>
      d.ips.push({
        family: 'ipv4',
        address: '10.9.0.1',
        prefix: 24,
        dhcp: { ranges: [{ start: '10.9.0.2', end: '10.9.0.9' }], hosts: [] }
      }),
    'ip[2].dhcp',
    /only one IPv4 <ip> may run DHCP; ip\[0\] already does/
  ],
  [
    'range outside',
    (d) => (d.ips[0].dhcp!.ranges[0].end = '192.168.124.10'),
    'ip[0].dhcp.range[0].end',
    /outside 192\.168\.123\.0\/24/
  ],
  [
    'range broadcast',
    (d) => (d.ips[0].dhcp!.ranges[0].end = '192.168.123.255'),
    'ip[0].dhcp.range[0].end',
    /broadcast/
  ],
  [
    'range network',
    (d) => (d.ips[0].dhcp!.ranges[0].start = '192.168.123.0'),
    'ip[0].dhcp.range[0].start',
    /network address/
  ],
  [
    'range gateway',
    (d) => (d.ips[0].dhcp!.ranges[0].start = '192.168.123.1'),
    'ip[0].dhcp.range[0].start',
    /includes the bridge's own address/
  ],
  [
    'range reversed',
    (d) => (d.ips[0].dhcp!.ranges[0] = { start: '192.168.123.200', end: '192.168.123.100' }),
    'ip[0].dhcp.range[0].end',
    /before it starts/
  ],
  [
    'range wrong family',
    (d) => (d.ips[0].dhcp!.ranges[0].start = 'fd00::2'),
    'ip[0].dhcp.range[0].start',
    /not an IPv4 address/
  ],
  [
    'ranges overlap',
    (d) => d.ips[0].dhcp!.ranges.push({ start: '192.168.123.100', end: '192.168.123.110' }),
    'ip[0].dhcp.range[1]',
    /overlaps ip\[0\]\.dhcp\.range\[0\]/
  ],
  [
    'ipv6 range outside',
    (d) => (d.ips[1].dhcp!.ranges[0].end = 'fd12:3456:789a:2::1'),
    'ip[1].dhcp.range[0].end',
    /outside/
  ],
  [
    'lease short',
    (d) => (d.ips[0].dhcp!.ranges[0].lease = { expiry: 90, unit: 'seconds' }),
    'ip[0].dhcp.range[0].lease.expiry',
    /minimum of 2 minutes/
  ],
  [
    'lease negative',
    (d) => (d.ips[0].dhcp!.hosts[0].lease = { expiry: -5, unit: 'minutes' }),
    'ip[0].dhcp.host[0].lease.expiry',
    /negative/
  ],
  [
    'lease huge',
    (d) => (d.ips[0].dhcp!.hosts[0].lease = { expiry: 2_000_000, unit: 'hours' }),
    'ip[0].dhcp.host[0].lease.expiry',
    /longer than dnsmasq can count/
  ],
  ['host ip outside', (d) => (d.ips[0].dhcp!.hosts[0].ip = '10.0.0.5'), 'ip[0].dhcp.host[0].ip', /outside/],
  [
    'host ip gateway',
    (d) => (d.ips[0].dhcp!.hosts[0].ip = '192.168.123.1'),
    'ip[0].dhcp.host[0].ip',
    /bridge's own address/
  ],
  [
    'host mac dup',
    (d) => (d.ips[0].dhcp!.hosts[1].mac = '52:54:00:aa:bb:cc'),
    'ip[0].dhcp.host[1].mac',
    /MAC 52:54:00:aa:bb:cc is already used by ip\[0\]\.dhcp\.host\[0\]/
  ],
  ['host name dup', (d) => (d.ips[0].dhcp!.hosts[1].name = 'DB'), 'ip[0].dhcp.host[1].name', /already used/],
  [
    'host ip dup',
    (d) => (d.ips[0].dhcp!.hosts[1].ip = '192.168.123.10'),
    'ip[0].dhcp.host[1].ip',
    /address 192\.168\.123\.10 is already used/
  ],
  [
    'host multicast mac',
    (d) => (d.ips[0].dhcp!.hosts[0].mac = '33:33:00:00:00:01'),
    'ip[0].dhcp.host[0].mac',
    /multicast/
  ],
  [
    'host name comma',
    (d) => (d.ips[0].dhcp!.hosts[0].name = 'db,evil'),
    'ip[0].dhcp.host[0].name',
    /',' is not allowed in a host name/
  ],
  [
    'host name underscore first',
    (d) => (d.ips[0].dhcp!.hosts[0].name = '_db'),
    'ip[0].dhcp.host[0].name',
    /label '_db' is not valid/
  ],
  [
    'v4 host without mac or name',
    (d) => (d.ips[0].dhcp!.hosts[0] = { ip: '192.168.123.50' }),
    'ip[0].dhcp.host[0]',
    /needs mac= or name=/
  ],
  ['v4 host with id', (d) => (d.ips[0].dhcp!.hosts[0].id = '0:1:2'), 'ip[0].dhcp.host[0].id', /belongs to IPv6 hosts/],
  [
    'v6 host with mac',
    (d) => (d.ips[1].dhcp!.hosts[0].mac = '52:54:00:00:00:01'),
    'ip[1].dhcp.host[0].mac',
    /no meaning for DHCPv6/
  ],
  ['v6 host without ip', (d) => delete d.ips[1].dhcp!.hosts[0].ip, 'ip[1].dhcp.host[0]', /needs ip=/],
  ['v6 host bad duid', (d) => (d.ips[1].dhcp!.hosts[0].id = '0:3:zz'), 'ip[1].dhcp.host[0].id', /not a DUID/],
  [
    'v6 host dup duid',
    (d) => d.ips[1].dhcp!.hosts.push({ id: '00:03:00:01:52:54:00:AA:BB:CC', ip: 'fd12:3456:789a:1::11' }),
    'ip[1].dhcp.host[1].id',
    /already used/
  ],
  ['domain syntax', (d) => (d.domain = { name: 'lab..lan' }), 'domain.name', /empty label/],
  ['domain injection', (d) => (d.domain = { name: 'lab\nserver=1.2.3.4' }), 'domain.name', /a newline is not allowed/],
  ['domain hyphen', (d) => (d.domain = { name: '-lab.lan' }), 'domain.name', /label '-lab' is not valid/],
  ['dns disabled with records', (d) => (d.dns!.enable = false), 'dns.enable', /turned off/],
  [
    'forwarder addr',
    (d) => (d.dns!.forwarders[0].addr = '192.0.2.53#5353'),
    'dns.forwarder[0].addr',
    /not an IP address/
  ],
  ['forwarder empty', (d) => (d.dns!.forwarders[0] = {}), 'dns.forwarder[0]', /needs addr= or domain=/],
  [
    'forwarder domain',
    (d) => (d.dns!.forwarders[1].domain = 'corp/example'),
    'dns.forwarder[1].domain',
    /'\/' is not allowed/
  ],
  ['dns host ip', (d) => (d.dns!.hosts[0].ip = 'db'), 'dns.host[0].ip', /not an IP address/],
  ['dns hostname space', (d) => (d.dns!.hosts[0].hostnames[1] = 'db lab'), 'dns.host[0].hostname[1]', /a space/],
  ['dns host no names', (d) => (d.dns!.hosts[0].hostnames = []), 'dns.host[0]', /at least one hostname/],
  ['srv service', (d) => (d.dns!.srvs[0].service = '_ldap'), 'dns.srv[0].service', /not a valid SRV service/],
  ['srv protocol', (d) => (d.dns!.srvs[0].protocol = 'tcp,udp'), 'dns.srv[0].protocol', /not a valid SRV protocol/],
  ['srv target', (d) => (d.dns!.srvs[0].target = 'db"x'), 'dns.srv[0].target', /'"' is not allowed/],
  ['srv port', (d) => (d.dns!.srvs[0].port = 65536), 'dns.srv[0].port', /port 65536 is out of range/],
  ['txt quote', (d) => (d.dns!.txts[0].value = 'say "hi"'), 'dns.txt[0].value', /'"' is not allowed in a TXT value/],
  ['txt comment', (d) => (d.dns!.txts[0].value = 'a #b'), 'dns.txt[0].value', /'#' is not allowed/],
  ['txt newline', (d) => (d.dns!.txts[0].value = 'a\ndhcp-range=1'), 'dns.txt[0].value', /a newline is not allowed/],
  ['txt non-ascii', (d) => (d.dns!.txts[0].value = 'café'), 'dns.txt[0].value', /'é' is not allowed/],
  ['txt too long', (d) => (d.dns!.txts[0].value = 'x'.repeat(256)), 'dns.txt[0].value', /at most 255/],
  ['txt blank end', (d) => (d.dns!.txts[0].value = 'x '), 'dns.txt[0].value', /blank/],
  ['txt name', (d) => (d.dns!.txts[0].name = 'a b'), 'dns.txt[0].name', /a space/]
]

describe('validateNetwork rules', () => {
  it.each(CASES)('%s', (_what, change, field, message) => {
    const problems = problemsAfter(change)
    const hit = problems.find((p) => p.field === field && message.test(p.message))
    expect(hit, `expected ${field} ~ ${message} in ${JSON.stringify(problems, null, 1)}`).toBeDefined()
    expect(hit?.fix).toBeTruthy()
  })

  it('accepts an SRV target of "." (RFC 2782: no such service) and hosts inside the range', () => {
    expect(problemsAfter((d) => (d.dns!.srvs[0].target = '.'))).toEqual([])
    expect(problemsAfter((d) => (d.ips[0].dhcp!.hosts[0].ip = '192.168.123.200'))).toEqual([])
  })

  it('accepts an IPv4 host without ip= when it has both mac= and name=', () => {
    expect(problemsAfter((d) => delete d.ips[0].dhcp!.hosts[0].ip)).toEqual([])
  })
})
