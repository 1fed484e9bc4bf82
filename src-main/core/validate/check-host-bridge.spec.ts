import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../model/network'
import { parseNetworkXml } from '../xml/parse-network-xml'
import { formatNetworkXml } from '../xml/format-network-xml'
import { validateNetwork } from './validate-network'

const hostBridge = (over: Partial<NetworkDef> = {}): NetworkDef => ({
  name: 'lan',
  forward: { mode: 'bridge' },
  bridge: { name: 'br0' },
  ips: [],
  ...over
})
const fields = (def: NetworkDef): string[] => validateNetwork(def).map((p) => p.field)

describe("<forward mode='bridge'>: guests join a bridge the host already has", () => {
  it('is valid with a bridge name and nothing guestnet would have to configure', () => {
    expect(validateNetwork(hostBridge())).toEqual([])
  })

  it('needs the bridge name', () => {
    const problems = validateNetwork(hostBridge({ bridge: {} }))
    expect(problems).toEqual([
      expect.objectContaining({ field: 'bridge.name', fix: expect.stringContaining("<bridge name='br0'/>") })
    ])
  })

  it('refuses what would configure the host’s bridge or serve the guests, each with its fix', () => {
    expect(fields(hostBridge({ bridge: { name: 'br0', stp: true, delay: 2 } }))).toEqual(['bridge.stp', 'bridge.delay'])
    expect(fields(hostBridge({ ips: [{ family: 'ipv4', address: '192.168.1.1', prefix: 24 }] }))).toContain('ip[0]')
    const rest = fields(hostBridge({ domain: { name: 'lan.test' }, mac: '52:54:00:00:00:01', mtu: 9000, ipv6: true }))
    expect([...rest].sort()).toEqual(['domain', 'ipv6', 'mac', 'mtu'])
    const ip = validateNetwork(hostBridge({ ips: [{ family: 'ipv4', address: '192.168.1.1', prefix: 24 }] })).find(
      (p) => p.field === 'ip[0]'
    )
    expect(ip?.message).toMatch(/the LAN’s router gives the guests theirs/)
  })

  it('reads and writes libvirt’s host-bridge form, and refuses its macvtap form by name', () => {
    const xml = "<network>\n  <name>lan</name>\n  <forward mode='bridge'/>\n  <bridge name='br0'/>\n</network>\n"
    const parsed = parseNetworkXml(xml)
    expect(parsed.ok && parsed.def.forward).toEqual({ mode: 'bridge' })
    if (parsed.ok) expect(formatNetworkXml(parsed.def)).toBe(xml)
    const macvtap = parseNetworkXml(
      "<network><name>m</name><forward mode='bridge'><interface dev='eth0'/></forward></network>"
    )
    expect(macvtap.ok ? [] : macvtap.problems.map((p) => p.message)).toContain(
      "unsupported: <forward mode='bridge'> with <interface> (macvtap)"
    )
  })
})
