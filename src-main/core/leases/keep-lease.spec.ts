import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../model/network'
import { updateNetwork } from '../update/net-update'
import { parseNetworkXml } from '../xml/parse-network-xml'
import { keepLease } from './keep-lease'
import { parseLeases } from './parse-leases'

const XML = `<network>
  <name>lab</name>
  <forward mode='nat'/>
  <bridge name='gnlab0'/>
  <ip address='192.168.50.1' prefix='24'>
    <dhcp>
      <range start='192.168.50.100' end='192.168.50.199'/>
      <host mac='52:54:00:00:00:01' ip='192.168.50.10' name='one'/>
    </dhcp>
  </ip>
</network>`

function lab(): NetworkDef {
  const parsed = parseNetworkXml(XML)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.def
}

const NOW = 1_800_000_000
const LEASES = parseLeases(
  [
    `${NOW + 3600} 52:54:00:aa:bb:01 192.168.50.120 web *`,
    `${NOW + 3600} 52:54:00:aa:bb:02 192.168.50.121 one *`,
    `${NOW - 10} 52:54:00:aa:bb:03 192.168.50.122 old *`,
    `${NOW + 3600} 52:54:00:aa:bb:04 192.168.50.10 squatter *`,
    `${NOW + 3600} 52:54:00:aa:bb:05 192.168.50.123 bad_name! *`
  ].join('\n')
).leases

describe('keepLease', () => {
  it('turns a live lease into the add ip-dhcp-host request that reserves it, and updateNetwork accepts it', () => {
    const r = keepLease(lab(), LEASES, '52:54:00:AA:BB:01', NOW)
    if (!r.ok) throw new Error(r.problem.message)
    expect(r.request).toEqual({
      command: 'add',
      section: 'ip-dhcp-host',
      xml: "<host mac='52:54:00:aa:bb:01' ip='192.168.50.120' name='web'/>"
    })
    const updated = updateNetwork(lab(), r.request)
    if (!updated.ok) throw new Error(JSON.stringify(updated.problems))
    expect(updated.def.ips[0].dhcp?.hosts).toContainEqual({
      mac: '52:54:00:aa:bb:01',
      ip: '192.168.50.120',
      name: 'web'
    })
  })

  it('leaves the name out when another reservation has it or it is not a valid hostname', () => {
    const taken = keepLease(lab(), LEASES, '52:54:00:aa:bb:02', NOW)
    expect(taken.ok && taken.request.xml).toBe("<host mac='52:54:00:aa:bb:02' ip='192.168.50.121'/>")
    const invalid = keepLease(lab(), LEASES, '52:54:00:aa:bb:05', NOW)
    expect(invalid.ok && invalid.host).toEqual({ mac: '52:54:00:aa:bb:05', ip: '192.168.50.123' })
  })

  it('refuses an unknown MAC and an expired lease, naming the field and where to look', () => {
    for (const mac of ['52:54:00:ff:ff:ff', '52:54:00:aa:bb:03']) {
      const r = keepLease(lab(), LEASES, mac, NOW)
      expect(r.ok).toBe(false)
      if (r.ok) continue
      expect(r.problem.field).toBe('keep')
      expect(r.problem.message).toMatch(/no guest with MAC .* has a live IPv4 lease on network lab/)
      expect(r.problem.fix).toMatch(/net-dhcp-leases lab/)
    }
  })

  it('refuses an address reserved for another MAC, and a guest that has a reservation already', () => {
    const squatter = keepLease(lab(), LEASES, '52:54:00:aa:bb:04', NOW)
    expect(squatter.ok).toBe(false)
    if (!squatter.ok)
      expect(squatter.problem.message).toMatch(
        /192\.168\.50\.10 is already reserved for another guest: <host mac='52:54:00:00:00:01'/
      )
    const kept = updateNetwork(lab(), {
      command: 'add',
      section: 'ip-dhcp-host',
      xml: "<host mac='52:54:00:aa:bb:01' ip='192.168.50.150'/>"
    })
    if (!kept.ok) throw new Error('fixture')
    const again = keepLease(kept.def, LEASES, '52:54:00:aa:bb:01', NOW)
    expect(again.ok).toBe(false)
    if (!again.ok) expect(again.problem.message).toMatch(/already has a reservation: <host mac='52:54:00:aa:bb:01'/)
  })

  it('refuses something that is not a MAC', () => {
    const r = keepLease(lab(), LEASES, 'web', NOW)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.problem.message).toMatch(/'web' is not a MAC address/)
  })
})
