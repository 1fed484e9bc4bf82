/** `<tftp>` and `<bootp>`: read into the model, written back in libvirt's place, comments kept. */
import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../model/network'
import { formatNetworkXml, normalizeNetworkXml } from './format-network-xml'
import { parseNetworkXml } from './parse-network-xml'

const NETBOOT = [
  '<network>',
  '  <name>pxe</name>',
  "  <forward mode='nat'/>",
  "  <bridge name='virbr7' stp='on' delay='0'/>",
  "  <ip address='10.7.0.1' prefix='24'>",
  "    <tftp root='/srv/tftp'/>",
  '    <dhcp>',
  "      <range start='10.7.0.100' end='10.7.0.200'/>",
  "      <host mac='52:54:00:00:00:07' ip='10.7.0.7'/>",
  "      <bootp file='pxelinux.0' server='10.7.0.5'/>",
  '    </dhcp>',
  '  </ip>',
  '</network>',
  ''
].join('\n')

function parsed(text: string): NetworkDef {
  const r = parseNetworkXml(text)
  if (!r.ok) throw new Error(JSON.stringify(r.problems))
  return r.def
}

describe('<tftp> and <bootp> in the XML', () => {
  it('reads them into the model', () => {
    expect(parsed(NETBOOT).ips[0]).toEqual({
      family: 'ipv4',
      address: '10.7.0.1',
      prefix: 24,
      tftp: { root: '/srv/tftp' },
      dhcp: {
        ranges: [{ start: '10.7.0.100', end: '10.7.0.200' }],
        hosts: [{ mac: '52:54:00:00:00:07', ip: '10.7.0.7' }],
        bootp: { file: 'pxelinux.0', server: '10.7.0.5' }
      }
    })
    expect(parsed(NETBOOT.replace(" server='10.7.0.5'", '')).ips[0].dhcp?.bootp).toEqual({ file: 'pxelinux.0' })
  })

  it('writes the canonical form it read: tftp before dhcp, bootp after the hosts', () => {
    expect(formatNetworkXml(parsed(NETBOOT))).toBe(NETBOOT)
    expect(normalizeNetworkXml(NETBOOT)).toEqual({ ok: true, xml: NETBOOT })
  })

  it("puts them in libvirt's order whatever order the source used", () => {
    const shuffled = NETBOOT.replace("    <tftp root='/srv/tftp'/>\n", '')
      .replace("      <range start='10.7.0.100' end='10.7.0.200'/>\n", '')
      .replace("      <bootp file='pxelinux.0' server='10.7.0.5'/>\n", '')
      .replace(
        '    <dhcp>\n',
        "    <dhcp>\n      <bootp server='10.7.0.5' file='pxelinux.0'/>\n      <range start='10.7.0.100' end='10.7.0.200'/>\n"
      )
      .replace('    </dhcp>\n', "    </dhcp>\n    <tftp root='/srv/tftp'/>\n")
    expect(shuffled).not.toBe(NETBOOT)
    expect(formatNetworkXml(parsed(shuffled))).toBe(NETBOOT)
  })

  it('keeps a comment above <tftp> and <bootp> when the file is written back', () => {
    const commented = NETBOOT.replace('    <tftp', '    <!-- boot files -->\n    <tftp').replace(
      '      <bootp',
      '      <!-- the PXE loader -->\n      <bootp'
    )
    const r = parseNetworkXml(commented)
    if (!r.ok) throw new Error('unreadable')
    const def = structuredClone(r.def)
    if (def.ips[0].dhcp?.bootp) def.ips[0].dhcp.bootp.file = 'ipxe.efi'
    expect(formatNetworkXml(def, r.doc)).toBe(commented.replace("file='pxelinux.0'", "file='ipxe.efi'"))
  })

  it('keeps a <bootp> whose <dhcp> has no range or host, for the validator to point at', () => {
    const lone = NETBOOT.replace("      <range start='10.7.0.100' end='10.7.0.200'/>\n", '').replace(
      "      <host mac='52:54:00:00:00:07' ip='10.7.0.7'/>\n",
      ''
    )
    const def = parsed(lone)
    expect(def.ips[0].dhcp).toEqual({ ranges: [], hosts: [], bootp: { file: 'pxelinux.0', server: '10.7.0.5' } })
    expect(formatNetworkXml(def)).toBe(lone)
  })

  it('reads a tftp root on an address without DHCP (libvirt netboot-tftp)', () => {
    const text =
      "<network><name>t</name><ip address='10.7.0.1' prefix='24'><tftp root='/var/lib/tftproot'/></ip></network>"
    expect(parsed(text).ips[0]).toEqual({
      family: 'ipv4',
      address: '10.7.0.1',
      prefix: 24,
      tftp: { root: '/var/lib/tftproot' }
    })
  })

  it('names the field, line and fix of a malformed <tftp> or <bootp>', () => {
    const r = parseNetworkXml(
      NETBOOT.replace("<tftp root='/srv/tftp'/>", "<tftp root='/a' port='69'/>")
        .replace(
          "      <bootp file='pxelinux.0' server='10.7.0.5'/>",
          "      <bootp server='10.7.0.5'/>\n      <bootp file='b'/>"
        )
        .replace("    <tftp root='/a' port='69'/>", "    <tftp root='/a' port='69'/>\n    <tftp/>")
    )
    expect(r.ok ? [] : r.problems.map((p) => [p.field, p.message, p.fix, p.line])).toEqual([
      ['ip[0].tftp.port', 'unsupported: <tftp port>', 'remove port= from <tftp>: guestnet does not support it', 6],
      ['ip[0].tftp', 'more than one <tftp>', 'keep a single <tftp> element', 7],
      ['ip[0].dhcp.bootp.file', '<bootp> needs a file= attribute', "add file='pxelinux.0'", 11],
      ['ip[0].dhcp.bootp', 'more than one <bootp>', 'keep a single <bootp> element', 12]
    ])
    const noRoot = parseNetworkXml(NETBOOT.replace("<tftp root='/srv/tftp'/>", '<tftp><x/></tftp>'))
    expect(noRoot.ok ? [] : noRoot.problems.map((p) => [p.field, p.message])).toEqual([
      ['ip[0].tftp.x', 'unsupported: <x>'],
      ['ip[0].tftp.root', '<tftp> needs a root= attribute']
    ])
  })
})
