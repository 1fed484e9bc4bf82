/**
 * The doctor against VPN clients' shapes (test/fixtures/vpn/, written from each client's source),
 * each loaded into the host namespace of a running NAT network: it recognises the client, says what
 * it does to guests, and where a kill switch blocks DHCP the nft-drop fix lets a new guest get its
 * address, and undo leaves the client's ruleset exactly as it was loaded.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { doctor, expectAction, finding, inHost, nftRuleset, reachesInternet } from './doctor-support'
import type { Guest } from './support/guest'
import { defineAndStart } from './support/networks'
import { cliSkipReason, findProgram, REPO } from './support/requirements'
import type { World } from './support/world'
import { createWorld, INET4, UPLINK } from './support/world'

const base = cliSkipReason()
const skip =
  base ?? (findProgram('iptables-nft-restore') ? null : 'iptables is not installed (apt-get install iptables)')
if (skip) console.warn(`netns doctor VPN tests skipped: ${skip}`)

const NET = { name: 'vpnnet', bridge: 'virbr8', mode: 'nat', ipv4: '192.168.158.1/24' } as const
const FIXTURES = join(REPO, 'test', 'fixtures', 'vpn')

describe.skipIf(skip !== null)(`doctor: VPN clients${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let guest: Guest
  let pristine: string

  /** A fresh guest that asks for a lease (the first DHCP exchange is what kill switches break). */
  const newGuestGetsLease = async (): Promise<boolean> => {
    const g = await world.addGuest({ bridge: NET.bridge })
    try {
      await g.dhcp(4000)
      return true
    } catch {
      return false
    } finally {
      await g.remove()
    }
  }

  const loadNft = async (name: string): Promise<void> => {
    await inHost(world, ['nft', '-f', join(FIXTURES, `${name}.nft`)])
  }

  beforeAll(async () => {
    world = await createWorld()
    await defineAndStart(world, NET)
    guest = await world.addGuest({ bridge: NET.bridge })
    await guest.dhcp()
    // The clients' tunnel interfaces, here as veths inside the host namespace.
    for (const [dev, peer] of [
      ['wg0-mullvad', 'vpnp0'],
      ['wg0', 'vpnp1'],
      ['pvpnksintrf0', 'vpnp2']
    ]) {
      await world.x.ip(world.host, ['link', 'add', dev, 'type', 'veth', 'peer', 'name', peer])
      await world.x.ip(world.host, ['link', 'set', dev, 'up'])
      await world.x.ip(world.host, ['link', 'set', peer, 'up'])
    }
    pristine = await nftRuleset(world)
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NET.name])
    await world?.dispose()
  })

  for (const client of ['mullvad', 'nordvpn'] as const) {
    it(`${client}: found and explained; the nft-drop fix lets a new guest get a lease; undo leaves ${client}'s table as loaded`, async () => {
      await loadNft(client)
      const loaded = await nftRuleset(world)
      try {
        expect(await newGuestGetsLease()).toBe(false)
        const { report } = await doctor(world)
        const f = finding(report, `vpn/${client}`)
        expect(f.severity).toBe('error')
        expect(f.explanation).toMatch(/DHCP and DNS/)
        expect(f.advice).toContain(
          client === 'mullvad' ? 'mullvad lan set allow' : `nordvpn allowlist add subnet 192.168.158.0/24`
        )
        console.info(`${client}: ${f.title}`)
        await expectAction(world, '--fix', 'nft-drop')
        expect(await newGuestGetsLease()).toBe(true)
        await expectAction(world, '--undo', 'nft-drop')
        expect(await nftRuleset(world)).toBe(loaded)
      } finally {
        await inHost(world, ['nft', 'delete', 'table', 'inet', client])
      }
      expect(await nftRuleset(world)).toBe(pristine)
    })
  }

  it('IVPN: INPUT DROP with IVPN-IN is found; new guests get no lease while it is on', async () => {
    await world.x.inNs(world.host, ['iptables-nft-restore', join(FIXTURES, 'ivpn.iptables')])
    try {
      const f = finding((await doctor(world)).report, 'vpn/ivpn')
      expect(f.severity).toBe('error')
      expect(f.advice).toContain('-lan_allow on')
      expect(await newGuestGetsLease()).toBe(false)
    } finally {
      for (const argv of [['-F'], ['-X'], ['-P', 'INPUT', 'ACCEPT'], ['-P', 'OUTPUT', 'ACCEPT']])
        await inHost(world, ['iptables-nft', ...argv])
    }
    expect(await newGuestGetsLease()).toBe(true)
  })

  it("NordVPN's older iptables rules on the uplink are found as a note; guests are not affected", async () => {
    await world.x.inNs(world.host, ['iptables-nft-restore', join(FIXTURES, 'nordvpn.iptables')])
    try {
      const f = finding((await doctor(world)).report, 'vpn/nordvpn-iptables')
      expect(f.severity).toBe('info')
      expect(await reachesInternet(guest)).toBe(true)
    } finally {
      await inHost(world, ['iptables-nft', '-F'])
    }
  })

  it("wg-quick: table 51820's default route on wg0 and its wg-quick-wg0 table are found, with the PostUp rule to keep guests off the tunnel", async () => {
    await loadNft('wg-quick')
    await world.x.ip(world.host, ['route', 'add', 'default', 'dev', 'wg0', 'table', '51820'])
    try {
      const f = finding((await doctor(world)).report, 'vpn/wg-quick-wg0')
      expect(f.severity).toBe('info')
      expect(f.advice).toContain('PostUp = ip rule add from 192.168.158.0/24 lookup main priority 32000')
    } finally {
      await world.x.ip(world.host, ['route', 'del', 'default', 'dev', 'wg0', 'table', '51820'])
      await inHost(world, ['nft', 'delete', 'table', 'ip', 'wg-quick-wg0'])
    }
  })

  it("Proton VPN: its kill switch's default route on pvpnksintrf0 is found, and guests' traffic is indeed routed into it", async () => {
    expect(await reachesInternet(guest)).toBe(true)
    // The kill switch's connection takes the default route (NetworkManager gives it the best metric).
    await world.x.ip(world.host, ['route', 'replace', 'default', 'dev', 'pvpnksintrf0'])
    try {
      const f = finding((await doctor(world)).report, 'vpn/protonvpn')
      expect(f.severity).toBe('warning')
      // Anything beyond the uplink's own subnet (here a documentation address) now leaves by the dummy.
      const via = await world.x.ip(world.host, [
        'route',
        'get',
        '198.51.100.7',
        'from',
        '192.168.158.50',
        'iif',
        NET.bridge
      ])
      expect(via.stdout).toContain('dev pvpnksintrf0')
    } finally {
      await world.x.ip(world.host, ['route', 'replace', 'default', 'via', INET4, 'dev', UPLINK])
      await world.x.ip(world.host, ['link', 'del', 'pvpnksintrf0'])
    }
    expect(await reachesInternet(guest)).toBe(true)
  })

  it('leaves no VPN finding once every shape is gone', () => {
    expect(readFileSync(join(FIXTURES, 'mullvad.nft'), 'utf8')).toContain('Source: https://github.com/mullvad/')
    return doctor(world).then(({ report }) => {
      expect(report.findings.filter((f) => f.check === 'vpn')).toEqual([])
    })
  })
})
