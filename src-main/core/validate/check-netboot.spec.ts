import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../model/network'
import type { Problem } from '../model/problem'
import { MAX_BOOT_FILE_LENGTH, bootFileProblem, tftpRootProblem } from './check-netboot'
import { validDef } from '../../../test/unit-support/valid-network.fixture'
import { validateNetwork } from './validate-network'

function problemsAfter(change: (d: NetworkDef) => void): Problem[] {
  const def = validDef()
  change(def)
  return validateNetwork(def)
}

const ip4 = (d: NetworkDef): NonNullable<NetworkDef['ips'][number]> => d.ips[0]
const setRoot = (root: string) => (d: NetworkDef) => (ip4(d).tftp = { root })
const setFile = (file: string) => (d: NetworkDef) => (ip4(d).dhcp!.bootp = { file })
const setServer = (server: string) => (d: NetworkDef) => (ip4(d).dhcp!.bootp = { file: 'pxelinux.0', server })

// Each refusal with the one problem it must give: [what, change, field, message].
const CASES: [string, (d: NetworkDef) => void, string, RegExp][] = [
  ['tftp on IPv6', (d) => (d.ips[1].tftp = { root: '/srv/tftp6' }), 'ip[1].tftp', /IPv4 only/],
  [
    'a second tftp',
    (d) => d.ips.push({ family: 'ipv4', address: '10.9.0.1', prefix: 24, tftp: { root: '/srv/other' } }),
    'ip[2].tftp',
    /only one <ip> of a network may have <tftp>; ip\[0\] has one already/
  ],
  ['empty root', setRoot(''), 'ip[0].tftp.root', /empty/],
  ['relative root', setRoot('srv/tftp'), 'ip[0].tftp.root', /'srv\/tftp' is not an absolute path/],
  ['dot-dot root', setRoot('/srv/../etc'), 'ip[0].tftp.root', /not a normalised path \('\.' or '\.\.'/],
  ['dot root', setRoot('/srv/./tftp'), 'ip[0].tftp.root', /not a normalised path/],
  ['doubled slash', setRoot('/srv//tftp'), 'ip[0].tftp.root', /doubled or trailing/],
  ['trailing slash', setRoot('/srv/tftp/'), 'ip[0].tftp.root', /doubled or trailing/],
  ['newline in root', setRoot('/srv/tftp\nenable-ra'), 'ip[0].tftp.root', /a newline is not allowed in a TFTP root/],
  ['comma in root (tftp-root=DIR,IFACE)', setRoot('/srv/tftp,eth0'), 'ip[0].tftp.root', /',' is not allowed/],
  ['quote in root', setRoot('/srv/"x"'), 'ip[0].tftp.root', /'"' is not allowed/],
  ['hash in root', setRoot('/srv/a#b'), 'ip[0].tftp.root', /'#' is not allowed/],
  ['space in root', setRoot('/srv/my tftp'), 'ip[0].tftp.root', /a space is not allowed/],
  ['control character in root', setRoot('/srv/\u001b[2J'), 'ip[0].tftp.root', /control character U\+001B/],
  ['backslash in root', setRoot('/srv/a\\b'), 'ip[0].tftp.root', /'\\' is not allowed/],
  ['the whole file system', setRoot('/'), 'ip[0].tftp.root', /every world-readable file/],
  ['/etc', setRoot('/etc'), 'ip[0].tftp.root', /\/etc holds the host's configuration/],
  ["guestnet's state", setRoot('/var/lib/guestnet/dnsmasq'), 'ip[0].tftp.root', /inside \/var\/lib\/guestnet/],
  ["guestnet's run-time files", setRoot('/run/guestnet'), 'ip[0].tftp.root', /inside \/run/],
  ['bootp on IPv6', (d) => (d.ips[1].dhcp!.bootp = { file: 'pxelinux.0' }), 'ip[1].dhcp.bootp', /IPv4 only/],
  [
    'bootp without range or host',
    (d) => (ip4(d).dhcp = { ranges: [], hosts: [], bootp: { file: 'pxelinux.0' } }),
    'ip[0].dhcp.bootp',
    /does nothing without DHCP/
  ],
  ['empty file', setFile(''), 'ip[0].dhcp.bootp.file', /empty/],
  [
    'comma in file (extra dhcp-boot fields)',
    setFile('pxelinux.0,,10.0.0.1'),
    'ip[0].dhcp.bootp.file',
    /',' is not allowed in a boot file name/
  ],
  ['newline in file', setFile('a\ndhcp-script=/tmp/x'), 'ip[0].dhcp.bootp.file', /a newline is not allowed/],
  ['quote in file', setFile("a'b"), 'ip[0].dhcp.bootp.file', /''' is not allowed/],
  ['double quote in file', setFile('a"b'), 'ip[0].dhcp.bootp.file', /'"' is not allowed/],
  ['space in file', setFile('a b'), 'ip[0].dhcp.bootp.file', /a space is not allowed/],
  ['tag: prefix', setFile('tag:efi'), 'ip[0].dhcp.bootp.file', /read by dnsmasq as a tag/],
  ['net: prefix', setFile('NET:x'), 'ip[0].dhcp.bootp.file', /read by dnsmasq as a tag/],
  ['dot-dot in file', setFile('../etc/shadow'), 'ip[0].dhcp.bootp.file', /'\.\.' in a boot file name/],
  ['long file', setFile('a'.repeat(MAX_BOOT_FILE_LENGTH + 1)), 'ip[0].dhcp.bootp.file', /at most 127/],
  ['server not an address', setServer('tftp.example.com'), 'ip[0].dhcp.bootp.server', /is not an IPv4 address/],
  ['server IPv6', setServer('fd00::1'), 'ip[0].dhcp.bootp.server', /is not an IPv4 address/],
  ['server with octal', setServer('010.0.0.1'), 'ip[0].dhcp.bootp.server', /is not an IPv4 address/],
  ['server injection', setServer('10.0.0.1\nenable-ra'), 'ip[0].dhcp.bootp.server', /is not an IPv4 address/],
  ['server broadcast', setServer('255.255.255.255'), 'ip[0].dhcp.bootp.server', /reserved/],
  ['server multicast', setServer('224.0.0.1'), 'ip[0].dhcp.bootp.server', /multicast/],
  ['server unspecified', setServer('0.0.0.0'), 'ip[0].dhcp.bootp.server', /"this network"/],
  ['server loopback', setServer('127.0.0.1'), 'ip[0].dhcp.bootp.server', /loopback/],
  [
    "server the subnet's broadcast",
    setServer('192.168.123.255'),
    'ip[0].dhcp.bootp.server',
    /broadcast address of 192\.168\.123\.0\/24/
  ],
  [
    "server the subnet's network address",
    setServer('192.168.123.0'),
    'ip[0].dhcp.bootp.server',
    /network address of 192\.168\.123\.0\/24/
  ]
]

describe('validateNetwork: network boot', () => {
  it('accepts tftp and bootp as the fixture has them, and the libvirt examples', () => {
    expect(problemsAfter(() => undefined)).toEqual([])
    expect(problemsAfter(setRoot('/var/lib/tftproot'))).toEqual([])
    expect(problemsAfter(setServer('10.20.30.40'))).toEqual([])
    expect(problemsAfter(setServer('192.168.123.5'))).toEqual([])
    expect(problemsAfter(setFile('efi/grubx64.efi'))).toEqual([])
    expect(problemsAfter(setFile('http://192.168.123.1/boot.ipxe?mac=52-54-00&x=%20'))).toEqual([])
    // tftp on an address without DHCP, as libvirt's netboot-tftp has it.
    expect(problemsAfter((d) => delete ip4(d).dhcp)).toEqual([])
  })

  it.each(CASES)('refuses %s, naming the field and the fix', (_what, change, field, message) => {
    const problems = problemsAfter(change)
    expect(problems, JSON.stringify(problems, null, 1)).toHaveLength(1)
    expect(problems[0].field).toBe(field)
    expect(problems[0].message).toMatch(message)
    expect(problems[0].fix).toBeTruthy()
  })

  it('never echoes a control character back', () => {
    for (const change of [setRoot('/a\u009b1m\u2028'), setFile('a\u0000b'), setServer('1.2.3.4\u001b')]) {
      const [p] = problemsAfter(change)
      expect(`${p.field} ${p.message} ${p.fix ?? ''}`).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
    }
  })

  it('checks the shape of tftp and bootp first: types and unknown fields', () => {
    expect(
      problemsAfter((d) => (ip4(d).tftp = { root: 5 } as unknown as { root: string })).map((p) => p.field)
    ).toEqual(['ip[0].tftp.root'])
    expect(
      problemsAfter((d) => (ip4(d).dhcp!.bootp = { server: '10.0.0.1' } as unknown as { file: string })).map((p) => [
        p.field,
        p.message
      ])
    ).toEqual([['ip[0].dhcp.bootp.file', 'missing']])
    expect(
      problemsAfter((d) => (ip4(d).tftp = { root: '/srv/tftp', secure: true } as unknown as { root: string })).map(
        (p) => p.field
      )
    ).toEqual(['ip[0].tftp.secure'])
  })

  it('tftpRootProblem and bootFileProblem accept what dnsmasq reads as one plain value', () => {
    for (const root of ['/srv/tftp', '/var/lib/tftpboot', '/home/ann/pxe-files', '/srv/tftp@v2', '/srv/a:b~c+d'])
      expect(tftpRootProblem(root)).toBeNull()
    for (const file of ['pxelinux.0', 'ipxe.efi', 'bios/undionly.kpxe', '/pxelinux.0'])
      expect(bootFileProblem(file)).toBeNull()
  })
})
