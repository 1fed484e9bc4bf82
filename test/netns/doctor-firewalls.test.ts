/**
 * The doctor against other programs' firewalls, each reproduced in the host namespace of a running
 * NAT network with guests: Docker's iptables-nft FORWARD DROP (and br_netfilter with it), a legacy
 * iptables FORWARD DROP, ufw's INPUT DROP, and a VPN kill switch's nftables table. Each time the
 * doctor finds it, its fix lets the guests through again while the other program's policy stays,
 * and undo puts the rules back exactly as they were.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import { addressOf } from '../../src-main/sandbox/topology'
import {
  doctor,
  expectAction,
  finding,
  findingIds,
  inHost,
  nftRuleset,
  reachesInternet,
  setSysctl,
  sysctl
} from './doctor-support'
import type { Guest } from './support/guest'
import { defineAndStart } from './support/networks'
import { cliSkipReason, findProgram } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const base = cliSkipReason()
const skip =
  base ??
  (findProgram('iptables-nft') && findProgram('iptables-legacy')
    ? null
    : 'iptables is not installed (apt-get install iptables)')
if (skip) console.warn(`netns doctor firewall tests skipped: ${skip}`)

const NET = { name: 'natnet', bridge: 'virbr7', mode: 'nat', ipv4: '192.168.150.1/24' } as const

/** As Docker leaves iptables (nft backend) when it starts: its chains, DOCKER-USER jumped to first, FORWARD policy DROP. */
const DOCKER_SETUP = [
  ['-N', 'DOCKER'],
  ['-N', 'DOCKER-ISOLATION-STAGE-1'],
  ['-N', 'DOCKER-USER'],
  ['-A', 'DOCKER-ISOLATION-STAGE-1', '-j', 'RETURN'],
  ['-A', 'DOCKER-USER', '-j', 'RETURN'],
  ['-A', 'FORWARD', '-j', 'DOCKER-USER'],
  ['-A', 'FORWARD', '-j', 'DOCKER-ISOLATION-STAGE-1'],
  ['-A', 'FORWARD', '-o', 'docker0', '-j', 'DOCKER'],
  ['-P', 'FORWARD', 'DROP']
]

describe.skipIf(skip !== null)(`doctor: other firewalls${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let g1: Guest
  let g2: Guest
  let pristine: string

  beforeAll(async () => {
    world = await createWorld()
    await defineAndStart(world, NET)
    ;[g1, g2] = await Promise.all([
      world.addGuest({ bridge: NET.bridge, name: 'alpha' }),
      world.addGuest({ bridge: NET.bridge, name: 'bravo' })
    ])
    await Promise.all([g1.dhcp(), g2.dhcp()])
    pristine = await nftRuleset(world)
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NET.name])
    await world?.dispose()
  })
  afterEach(async () => {
    // Whatever a test left, the next one starts from guestnet's table alone.
    await inHost(world, [
      'sh',
      '-c',
      'nft delete table ip filter 2>/dev/null; iptables-legacy -P FORWARD ACCEPT; iptables-legacy -P INPUT ACCEPT; iptables-legacy -F; true'
    ])
    await setSysctl(world, 'net.bridge.bridge-nf-call-iptables', '1')
    expect(await nftRuleset(world)).toBe(pristine)
  })

  it('finds no error on a clean host, and the guests get through', async () => {
    const { run, report } = await doctor(world)
    expect(run.code).toBe(0)
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([])
    expect(report.checks.find((c) => c.check === 'iptables-drop')?.status).toBe('ok')
    expect(await reachesInternet(g1)).toBe(true)
  })

  it("Docker's FORWARD DROP (iptables-nft): found, fixed in DOCKER-USER, undone to the same ruleset", async () => {
    for (const args of DOCKER_SETUP) await inHost(world, ['iptables-nft', ...args])
    expect(await reachesInternet(g1)).toBe(false)
    // br_netfilter (on in a new namespace) sends guest-to-guest frames through the DROP too.
    expect(await g1.ping(g2.lease?.ip ?? '', 1)).toBe(false)
    const before = await nftRuleset(world)

    const { run, report } = await doctor(world)
    expect(run.code).toBe(1)
    const f = finding(report, 'iptables-drop/ipv4-nft-forward')
    expect(f).toMatchObject({
      severity: 'error',
      title: "Docker's iptables FORWARD policy DROP blocks guest traffic (IPv4)"
    })
    expect(finding(report, 'br-netfilter').severity).toBe('warning')

    const fixed = await expectAction(world, '--fix', 'iptables-drop/ipv4-nft-forward')
    expect(findingIds(fixed)).not.toContain('iptables-drop/ipv4-nft-forward')
    expect(fixed.applied.map((a) => a.id)).toEqual(['iptables-drop/ipv4-nft-forward'])
    const rules = await inHost(world, ['iptables-nft', '-S'])
    expect(rules).toContain('-P FORWARD DROP')
    expect(rules).toMatch(/-A DOCKER-USER -i virbr7 .*guestnet-doctor -j ACCEPT/)
    expect(await reachesInternet(g1)).toBe(true)
    expect(await g1.ping(g2.lease?.ip ?? '')).toBe(true)

    const undone = await expectAction(world, '--undo', 'iptables-drop')
    expect(undone.applied).toEqual([])
    expect(await nftRuleset(world)).toBe(before)
    expect(await reachesInternet(g1)).toBe(false)
  })

  it('br_netfilter under a FORWARD DROP: setting it to 0 lets guests reach each other, undo sets 1 again', async () => {
    for (const args of DOCKER_SETUP) await inHost(world, ['iptables-nft', ...args])
    expect(await g1.ping(g2.lease?.ip ?? '', 1)).toBe(false)
    await expectAction(world, '--fix', 'br-netfilter')
    expect(await sysctl(world, 'net.bridge.bridge-nf-call-iptables')).toBe('0')
    expect(await g1.ping(g2.lease?.ip ?? '')).toBe(true)
    // Only bridged traffic: the internet is still behind Docker's DROP.
    expect(await reachesInternet(g1)).toBe(false)
    await expectAction(world, '--undo', 'br-netfilter')
    expect(await sysctl(world, 'net.bridge.bridge-nf-call-iptables')).toBe('1')
    expect(await g1.ping(g2.lease?.ip ?? '', 1)).toBe(false)
  })

  it('a legacy iptables FORWARD DROP without Docker: fixed at the top of FORWARD, undone exactly', async () => {
    await inHost(world, ['iptables-legacy', '-P', 'FORWARD', 'DROP'])
    expect(await reachesInternet(g1)).toBe(false)
    const before = await inHost(world, ['iptables-legacy', '-S'])
    const f = finding((await doctor(world)).report, 'iptables-drop/ipv4-legacy-forward')
    expect(f.title).toBe('iptables FORWARD policy DROP blocks guest traffic (IPv4)')
    expect(f.fix?.commands[0].slice(0, 3)).toEqual(['iptables-legacy', '-I', 'FORWARD'])
    await expectAction(world, '--fix', 'iptables-drop/ipv4-legacy-forward')
    expect(await reachesInternet(g1)).toBe(true)
    await expectAction(world, '--undo', 'all')
    expect(await inHost(world, ['iptables-legacy', '-S'])).toBe(before)
    expect(await reachesInternet(g1)).toBe(false)
  })

  it("ufw's INPUT DROP: a new guest gets no lease; the fix accepts DHCP and DNS from the bridge only", async () => {
    await inHost(world, ['iptables-nft', '-P', 'INPUT', 'DROP'])
    await inHost(world, ['iptables-nft', '-N', 'ufw-before-input'])
    await inHost(world, ['iptables-nft', '-A', 'INPUT', '-j', 'ufw-before-input'])
    const before = await nftRuleset(world)
    const g3 = await world.addGuest({ bridge: NET.bridge, name: 'charlie' })
    await expect(g3.dhcp(2000)).rejects.toThrow(/no DHCP lease/)

    const f = finding((await doctor(world)).report, 'iptables-drop/ipv4-nft-input')
    expect(f.title).toBe("ufw's iptables INPUT policy DROP blocks guests' DHCP and DNS (IPv4)")
    await expectAction(world, '--fix', f.id)
    const lease = (await g3.dhcp()).lease
    expect(lease.dns).toEqual([addressOf(NET.ipv4)])
    expect(await g3.resolve('alpha')).toEqual([g1.lease?.ip])
    // Narrow: the host's other services stay closed to the guests.
    const rules = await inHost(world, ['iptables-nft', '-S', 'INPUT'])
    expect(rules).toContain('-P INPUT DROP')
    expect(
      rules
        .split('\n')
        .filter((l) => l.includes('guestnet-doctor'))
        .every((l) => /-i virbr7 -p (udp|tcp) -m (udp|tcp) --dport (67|53) /.test(l))
    ).toBe(true)

    await expectAction(world, '--undo', f.id)
    expect(await nftRuleset(world)).toBe(before)
    await g3.remove()
  })

  it("a VPN kill switch's own nftables table: accept rules go into that table, and undo deletes exactly them", async () => {
    const table = [
      'table inet killswitch {',
      '  chain input { type filter hook input priority 0; policy drop; iifname "lo" accept; ct state established,related accept; }',
      '  chain forward { type filter hook forward priority 0; policy drop; }',
      '}'
    ].join('\n')
    await world.x.inNs(world.host, ['sh', '-c', `printf '%s\\n' '${table}' | nft -f -`])
    const before = await nftRuleset(world)
    expect(await reachesInternet(g1)).toBe(false)

    const { report } = await doctor(world)
    expect(findingIds(report)).toEqual(
      expect.arrayContaining(['nft-drop/forward-inet-killswitch-forward', 'nft-drop/input-inet-killswitch-input'])
    )
    expect(finding(report, 'nft-drop/forward-inet-killswitch-forward').explanation).toMatch(/cannot override this drop/)

    const fixed = await expectAction(world, '--fix', 'nft-drop')
    expect(fixed.findings.filter((f) => f.check === 'nft-drop')).toEqual([])
    expect(await reachesInternet(g1)).toBe(true)
    const listed = await inHost(world, ['nft', 'list', 'table', 'inet', 'killswitch'])
    expect(listed).toContain('policy drop')
    expect(listed).toContain('iifname "virbr7" accept comment "guestnet-doctor"')

    await expectAction(world, '--undo', 'nft-drop')
    expect(await nftRuleset(world)).toBe(before)
    expect(await reachesInternet(g1)).toBe(false)
    await inHost(world, ['nft', 'delete', 'table', 'inet', 'killswitch'])
  })
})
