import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { diagnose } from '../diagnose'
import { natNetwork, observation } from '../../../test/unit-support/observation.fixture'
import type { DoctorObservation, Finding } from '../model'
import { checkVpnClients } from './vpn-clients'

/** The clients' shapes, loaded into a namespace once and listed back (`nft -j list ruleset`, `iptables -S`). */
const VPN = join(__dirname, '../../../test/fixtures/vpn')
const recorded = (file: string): string => readFileSync(join(VPN, file), 'utf8')
const nft = (name: string): unknown => JSON.parse(recorded(`${name}.json`)) as unknown

function withIptables(rules: string): Partial<DoctorObservation> {
  return { iptables: [{ family: 4, backend: 'nft', program: 'iptables-nft', rules }] }
}

const only = (obs: DoctorObservation): Finding => {
  const found = checkVpnClients(obs)
  expect(found).toHaveLength(1)
  return found[0]
}

describe('VPN clients (recorded shapes in test/fixtures/vpn)', () => {
  it("Mullvad, LAN sharing off: blocks guests' DHCP and DNS, routes the rest through wg0-mullvad, advises `mullvad lan set allow`", () => {
    const f = only(observation({ nftRuleset: nft('mullvad') }))
    expect(f).toMatchObject({ id: 'vpn/mullvad', check: 'vpn', severity: 'error', fix: null })
    expect(f.title).toContain('blocks')
    expect(f.explanation).toContain('wg0-mullvad')
    expect(f.advice).toContain('mullvad lan set allow')
    expect(f.advice).toContain('mullvad lan set block')
  })

  it('Mullvad with LAN sharing on (input accepts 192.168.0.0/16): only a note that guests use the tunnel', () => {
    const rs = nft('mullvad') as { nftables: Record<string, unknown>[] }
    const lan = {
      rule: {
        family: 'inet',
        table: 'mullvad',
        chain: 'input',
        handle: 999,
        expr: [
          {
            match: {
              op: '==',
              left: { payload: { protocol: 'ip', field: 'saddr' } },
              right: { prefix: { addr: '192.168.0.0', len: 16 } }
            }
          },
          { accept: null }
        ]
      }
    }
    const f = only(observation({ nftRuleset: { nftables: [...rs.nftables, lan] } }))
    expect(f.severity).toBe('info')
    expect(f.title).toContain('wg0-mullvad')
    // A guest subnet outside the private ranges is not covered by LAN sharing, and the advice says so.
    const odd = only(
      observation({ nftRuleset: nft('mullvad'), networks: [natNetwork({ subnets: ['198.18.0.0/24'] })] })
    )
    expect(odd.advice).toContain('198.18.0.0/24 is not one')
  })

  it('NordVPN (nftables): blocked input, tunnel nordlynx, allowlist advice per subnet plus the first-DHCP caveat', () => {
    const f = only(observation({ nftRuleset: nft('nordvpn') }))
    expect(f).toMatchObject({ id: 'vpn/nordvpn', severity: 'error' })
    expect(f.explanation).toContain('nordlynx')
    expect(f.advice).toContain('nordvpn allowlist add subnet 192.168.150.0/24')
    expect(f.advice).toContain('0.0.0.0')
  })

  it('NordVPN (iptables): drops named on eth0 leave our bridge alone: a note', () => {
    const f = only(observation(withIptables(recorded('nordvpn.iptables-S.txt'))))
    expect(f).toMatchObject({ id: 'vpn/nordvpn-iptables', severity: 'info' })
    expect(f.title).toContain('eth0')
  })

  it('IVPN: INPUT DROP with IVPN-IN blocks DHCP and DNS; advises its LAN allowance', () => {
    const f = only(observation(withIptables(recorded('ivpn.iptables-S.txt'))))
    expect(f).toMatchObject({ id: 'vpn/ivpn', severity: 'error' })
    expect(f.advice).toContain('-lan_allow on')
  })

  it('wg-quick: table 51820 and its wg-quick-wg0 table: guests go through wg0, with a PostUp/PreDown rule to keep them off it', () => {
    const f = only(
      observation({
        nftRuleset: nft('wg-quick'),
        routes: [{ family: 4, dst: '0.0.0.0/0', dev: 'wg0', protocol: null, table: '51820' }]
      })
    )
    expect(f).toMatchObject({ id: 'vpn/wg-quick-wg0', severity: 'info' })
    expect(f.advice).toContain('PostUp = ip rule add from 192.168.150.0/24 lookup main priority 32000')
    expect(f.advice).toContain('PreDown = ip rule del from 192.168.150.0/24 lookup main priority 32000')
  })

  it("Proton VPN: its kill switch's dummy default route is a warning", () => {
    const f = only(
      observation({
        links: [
          ...observation().links,
          { ifname: 'pvpnksintrf0', group: 'default', kind: 'dummy', addresses: ['100.85.0.1/24'] }
        ],
        routes: [{ family: 4, dst: '0.0.0.0/0', dev: 'pvpnksintrf0', protocol: 'static', table: 'main' }]
      })
    )
    expect(f).toMatchObject({ id: 'vpn/protonvpn', severity: 'warning' })
  })

  it('a host without VPN clients has no finding, and the check is ok in the diagnosis', () => {
    expect(checkVpnClients(observation())).toEqual([])
    expect(diagnose(observation()).checks.find((c) => c.check === 'vpn')?.status).toBe('ok')
    expect(diagnose(observation({ nftRuleset: nft('mullvad') })).checks.find((c) => c.check === 'vpn')?.status).toBe(
      'problem'
    )
  })
})
