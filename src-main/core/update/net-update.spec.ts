import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../model/network'
import { parseNetworkXml } from '../xml/parse-network-xml'
import type { NetUpdateRequest } from './net-update'
import { updateNetwork } from './net-update'
import { parseUpdateSnippet } from './parse-update-snippet'

const XML = `<network>
  <name>lab</name>
  <forward mode='nat'/>
  <bridge name='gnlab0'/>
  <domain name='lab.test'/>
  <dns><host ip='192.168.50.5'><hostname>printer</hostname></host></dns>
  <ip address='192.168.50.1' prefix='24'>
    <dhcp>
      <range start='192.168.50.100' end='192.168.50.199'/>
      <host mac='52:54:00:00:00:01' ip='192.168.50.10' name='one'/>
    </dhcp>
  </ip>
  <ip family='ipv6' address='fd00:50::1' prefix='64'>
    <dhcp><range start='fd00:50::100' end='fd00:50::1ff'/></dhcp>
  </ip>
</network>`

function lab(): NetworkDef {
  const parsed = parseNetworkXml(XML)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.def
}

function update(req: NetUpdateRequest, def = lab()): ReturnType<typeof updateNetwork> {
  return updateNetwork(def, req)
}

function hostsOf(def: NetworkDef, index = 0): unknown {
  return def.ips[index].dhcp?.hosts
}

describe('the net-update snippet', () => {
  it('reads a <host> with the attributes a network file takes', () => {
    const r = parseUpdateSnippet('ip-dhcp-host', "<host mac='52:54:00:00:00:02' ip='192.168.50.11' name='two'/>")
    expect(r).toEqual({
      ok: true,
      item: { section: 'ip-dhcp-host', host: { mac: '52:54:00:00:00:02', ip: '192.168.50.11', name: 'two' } }
    })
  })

  it('refuses another element, naming the one expected', () => {
    const r = parseUpdateSnippet('ip-dhcp-host', "<range start='1.2.3.4' end='1.2.3.5'/>")
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.problems[0].message).toMatch(/takes a <host> element, not <range>/)
  })

  it('refuses an unknown attribute by its field', () => {
    const r = parseUpdateSnippet('ip-dhcp-host', "<host mac='52:54:00:00:00:02' colour='red'/>")
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.problems[0].field).toBe('xml.colour')
  })

  it('refuses malformed XML', () => {
    const r = parseUpdateSnippet('ip-dhcp-host', "<host mac='52:54:00:00:00:02'")
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.problems[0].message).toMatch(/malformed XML/)
  })

  it('reads a dns <host> with its hostnames', () => {
    const r = parseUpdateSnippet('dns-host', "<host ip='192.168.50.6'><hostname>nas</hostname></host>")
    expect(r).toEqual({ ok: true, item: { section: 'dns-host', host: { ip: '192.168.50.6', hostnames: ['nas'] } } })
  })
})

describe('net-update ip-dhcp-host', () => {
  const two = "<host mac='52:54:00:00:00:02' ip='192.168.50.11' name='two'/>"

  it('adds a reservation to the IPv4 <ip> (last, or first with add-first)', () => {
    const r = update({ command: 'add', section: 'ip-dhcp-host', xml: two })
    expect(r.ok).toBe(true)
    if (r.ok)
      expect(hostsOf(r.def)).toEqual([
        { mac: '52:54:00:00:00:01', ip: '192.168.50.10', name: 'one' },
        { mac: '52:54:00:00:00:02', ip: '192.168.50.11', name: 'two' }
      ])
    const f = update({ command: 'add-first', section: 'ip-dhcp-host', xml: two })
    if (f.ok) expect((hostsOf(f.def) as { name: string }[])[0].name).toBe('two')
    else expect.fail('add-first refused')
  })

  it('leaves the definition it was given as it was', () => {
    const def = lab()
    const before = JSON.stringify(def)
    update({ command: 'add', section: 'ip-dhcp-host', xml: two }, def)
    expect(JSON.stringify(def)).toBe(before)
  })

  it.each([
    ["<host mac='52:54:00:00:00:01' ip='192.168.50.12' name='x'/>", 'xml.mac'],
    ["<host mac='52:54:00:00:00:03' ip='192.168.50.12' name='ONE'/>", 'xml.name'],
    ["<host mac='52:54:00:00:00:03' ip='192.168.50.10' name='x'/>", 'xml.ip']
  ])('refuses an add matching an existing entry: %s', (xml, field) => {
    const r = update({ command: 'add', section: 'ip-dhcp-host', xml })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.problems[0].field).toBe(field)
      expect(r.problems[0].message).toMatch(/existing dhcp host entry .* <host mac='52:54:00:00:00:01'/)
      expect(r.problems[0].fix).toMatch(/modify/)
    }
  })

  it.each([
    ["<host mac='52:54:00:00:00:02' ip='10.0.0.5' name='two'/>", /ip\[0\]\.dhcp\.host\[1\]\.ip/],
    ["<host mac='52:54:00:00:00:02' ip='192.168.50.1' name='two'/>", /ip\[0\]\.dhcp\.host\[1\]\.ip/],
    ["<host mac='01:54:00:00:00:02' ip='192.168.50.11'/>", /ip\[0\]\.dhcp\.host\[1\]\.mac/],
    ["<host mac='52:54:00:00:00:02' ip='192.168.50.11' name='bad name'/>", /ip\[0\]\.dhcp\.host\[1\]\.name/]
  ])('refuses what the validator refuses, by the field: %s', (xml, field) => {
    const r = update({ command: 'add', section: 'ip-dhcp-host', xml })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.problems.map((p) => p.field).join(' ')).toMatch(field)
      expect(r.problems[0].fix).toBeTruthy()
    }
  })

  it('deletes the entry every given attribute matches', () => {
    const r = update({ command: 'delete', section: 'ip-dhcp-host', xml: "<host mac='52:54:00:00:00:01'/>" })
    expect(r.ok).toBe(true)
    // Its only host gone, the range keeps the <dhcp>.
    if (r.ok)
      expect(r.def.ips[0].dhcp).toEqual({ ranges: [{ start: '192.168.50.100', end: '192.168.50.199' }], hosts: [] })
    const wrong = update({
      command: 'delete',
      section: 'ip-dhcp-host',
      xml: "<host mac='52:54:00:00:00:01' ip='192.168.50.11'/>"
    })
    expect(wrong.ok).toBe(false)
    if (!wrong.ok) expect(wrong.problems[0].message).toMatch(/couldn't locate a matching dhcp host entry/)
  })

  it('modifies the entry of the MAC', () => {
    const r = update({
      command: 'modify',
      section: 'ip-dhcp-host',
      xml: "<host mac='52:54:00:00:00:01' ip='192.168.50.20' name='uno'/>"
    })
    if (!r.ok) expect.fail(JSON.stringify(r.problems))
    expect(hostsOf(r.def)).toEqual([{ mac: '52:54:00:00:00:01', ip: '192.168.50.20', name: 'uno' }])
    const none = update({ command: 'modify', section: 'ip-dhcp-host', xml: two })
    expect(none.ok).toBe(false)
    if (!none.ok)
      expect(none.problems[0].message).toMatch(
        /couldn't locate an existing dhcp host entry with mac='52:54:00:00:00:02'/
      )
  })

  it('goes to the IPv6 <ip> for an IPv6 address, and to --parent-index when given', () => {
    const r = update({
      command: 'add',
      section: 'ip-dhcp-host',
      xml: "<host id='0:3:0:1:52:54:0:0:0:9' ip='fd00:50::9'/>"
    })
    if (!r.ok) expect.fail(JSON.stringify(r.problems))
    expect(hostsOf(r.def, 1)).toEqual([{ id: '0:3:0:1:52:54:0:0:0:9', ip: 'fd00:50::9' }])
    const bad = update({ command: 'add', section: 'ip-dhcp-host', xml: two, parentIndex: 5 })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.problems[0].field).toBe('parentIndex')
  })
})

describe('net-update ip-dhcp-range and dns-host', () => {
  it('adds and deletes a range, refuses modify as libvirt does', () => {
    const add = update({
      command: 'add',
      section: 'ip-dhcp-range',
      xml: "<range start='192.168.50.20' end='192.168.50.30'/>"
    })
    if (!add.ok) expect.fail(JSON.stringify(add.problems))
    expect(add.def.ips[0].dhcp?.ranges).toHaveLength(2)
    const overlap = update({
      command: 'add',
      section: 'ip-dhcp-range',
      xml: "<range start='192.168.50.150' end='192.168.50.160'/>"
    })
    expect(overlap.ok).toBe(false)
    const del = update({
      command: 'delete',
      section: 'ip-dhcp-range',
      xml: "<range start='192.168.50.100' end='192.168.50.199'/>"
    })
    if (!del.ok) expect.fail(JSON.stringify(del.problems))
    expect(del.def.ips[0].dhcp?.ranges).toEqual([])
    const mod = update({
      command: 'modify',
      section: 'ip-dhcp-range',
      xml: "<range start='192.168.50.100' end='192.168.50.199'/>"
    })
    expect(mod.ok).toBe(false)
    if (!mod.ok) expect(mod.problems[0].message).toMatch(/cannot be modified/)
  })

  it('adds and deletes a dns host; a matching address or name is refused', () => {
    const add = update({
      command: 'add',
      section: 'dns-host',
      xml: "<host ip='192.168.50.6'><hostname>nas</hostname></host>"
    })
    if (!add.ok) expect.fail(JSON.stringify(add.problems))
    expect(add.def.dns?.hosts.map((h) => h.ip)).toEqual(['192.168.50.5', '192.168.50.6'])
    const clash = update({
      command: 'add',
      section: 'dns-host',
      xml: "<host ip='192.168.50.7'><hostname>printer</hostname></host>"
    })
    expect(clash.ok).toBe(false)
    const del = update({
      command: 'delete',
      section: 'dns-host',
      xml: "<host ip='192.168.50.5'><hostname>printer</hostname></host>"
    })
    if (!del.ok) expect.fail(JSON.stringify(del.problems))
    expect(del.def.dns?.hosts).toEqual([])
  })
})
