/**
 * The doctor against the host's own settings and neighbours, each reproduced in a test namespace:
 * IPv4 and IPv6 forwarding turned off under a running network, an uplink with RA routes and
 * accept_ra=1, another program on the DNS and DHCP ports, libvirt's virbr0 on 192.168.122.0/24,
 * and dnsmasq missing (hidden by a bind mount in a private mount namespace).
 */
import { execFile } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { DoctorReport } from '../../src-main/doctor/model'
import { waitFor } from '../../src-main/sandbox/wait'
import { doctor, expectAction, finding, findingIds, reachesInternet, setSysctl, sysctl } from './doctor-support'
import type { Guest } from './support/guest'
import { defineAndStart } from './support/networks'
import { writeNetworkXml } from './support/network-xml'
import { cliSkipReason, GUESTNET_BIN, REPO } from './support/requirements'
import { probeTcp } from './support/tcp'
import type { World } from './support/world'
import { createWorld, HOST6, INET6, INET_TCP_PORT } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns doctor host tests skipped: ${skip}`)

const PREFIX = '2001:db8:47::/64'
const NET = {
  name: 'natnet',
  bridge: 'virbr7',
  mode: 'nat',
  ipv4: '192.168.150.1/24',
  ipv6: '2001:db8:47::1/64'
} as const
const QUIET = { name: 'quiet', bridge: 'virbr8', mode: 'nat', ipv4: '192.168.160.1/24' } as const
const LIBVIRTISH = { name: 'lv', bridge: 'virbr0', mode: 'nat', ipv4: '192.168.122.1/24' } as const

describe.skipIf(skip !== null)(`doctor: host settings${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let g1: Guest

  beforeAll(async () => {
    world = await createWorld()
    await defineAndStart(world, NET)
    g1 = await world.addGuest({ bridge: NET.bridge, name: 'alpha' })
    await world.x.ip(world.inet, ['-6', 'route', 'add', PREFIX, 'via', HOST6])
    await Promise.all([g1.dhcp(), g1.slaac(PREFIX)])
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NET.name])
    await world?.dispose()
  })

  it('IPv4 forwarding turned off under a running network: found, fixed, undone', async () => {
    await setSysctl(world, 'net.ipv4.ip_forward', '0')
    try {
      expect(await reachesInternet(g1)).toBe(false)
      const { run, report } = await doctor(world)
      expect(run.code).toBe(1)
      expect(finding(report, 'forwarding/ipv4')).toMatchObject({
        severity: 'error',
        title: 'IPv4 forwarding is off: guests of natnet cannot reach beyond the host'
      })
      await expectAction(world, '--fix', 'forwarding/ipv4')
      expect(await sysctl(world, 'net.ipv4.ip_forward')).toBe('1')
      expect(await reachesInternet(g1)).toBe(true)
      // Undo leaves the fix, but forwarding stays on: natnet, running, needs it (the namespace's ledger).
      const undo = await expectAction(world, '--undo', 'forwarding/ipv4')
      expect(undo.actions[0].message).toMatch(/stays 1: network natnet still needs it/)
      expect(await sysctl(world, 'net.ipv4.ip_forward')).toBe('1')
      expect(await reachesInternet(g1)).toBe(true)
    } finally {
      await setSysctl(world, 'net.ipv4.ip_forward', '1')
    }
  })

  it('IPv6 forwarding turned off: found, fixed, undone', async () => {
    const reaches6 = async (): Promise<boolean> => (await g1.probe(INET6, INET_TCP_PORT, 1500)).result === 'connected'
    expect(await reaches6()).toBe(true)
    await setSysctl(world, 'net.ipv6.conf.all.forwarding', '0')
    try {
      expect(await reaches6()).toBe(false)
      expect(finding((await doctor(world)).report, 'forwarding/ipv6').severity).toBe('error')
      await expectAction(world, '--fix', 'forwarding/ipv6')
      expect(await reaches6()).toBe(true)
      await expectAction(world, '--undo', 'forwarding/ipv6')
      // natnet runs with IPv6: forwarding stays on for it.
      expect(await sysctl(world, 'net.ipv6.conf.all.forwarding')).toBe('1')
    } finally {
      await setSysctl(world, 'net.ipv6.conf.all.forwarding', '1')
    }
  })

  it('an uplink with RA routes and accept_ra=1 while forwarding: set to 2, undone to 1', async () => {
    const was = await sysctl(world, 'net.ipv6.conf.uplink0.accept_ra')
    await world.x.ip(world.host, [
      '-6',
      'route',
      'add',
      '2001:db8:5::/64',
      'via',
      '2001:db8::1',
      'dev',
      'uplink0',
      'proto',
      'ra'
    ])
    await setSysctl(world, 'net.ipv6.conf.uplink0.accept_ra', '1')
    try {
      const f = finding((await doctor(world)).report, 'accept-ra/uplink0')
      expect(f).toMatchObject({ severity: 'warning' })
      expect(f.fix?.commands).toEqual([['@sysctl', 'net.ipv6.conf.uplink0.accept_ra', '2']])
      await expectAction(world, '--fix', 'accept-ra')
      expect(await sysctl(world, 'net.ipv6.conf.uplink0.accept_ra')).toBe('2')
      expect(findingIds((await doctor(world)).report)).not.toContain('accept-ra/uplink0')
      await expectAction(world, '--undo', 'accept-ra/uplink0')
      expect(await sysctl(world, 'net.ipv6.conf.uplink0.accept_ra')).toBe('1')
    } finally {
      await world.x.ip(world.host, ['-6', 'route', 'del', '2001:db8:5::/64', 'dev', 'uplink0'])
      await setSysctl(world, 'net.ipv6.conf.uplink0.accept_ra', was)
    }
  })

  it('names another program holding the DNS and DHCP ports (no automatic fix)', async () => {
    // Stopped, our dnsmasq leaves the ports to the blocker; a defined network still needs them.
    expect((await world.guestnet(['net-destroy', NET.name])).code).toBe(0)
    const file = await writeNetworkXml(world.dir, QUIET)
    expect((await world.guestnet(['net-define', file])).code).toBe(0)
    const blockers: ChildProcess[] = []
    try {
      for (const port of ['53', '67']) {
        const child = world.spawn([
          'ip',
          'netns',
          'exec',
          world.host,
          process.execPath,
          join(REPO, 'test/netns/support/port-blocker.mjs'),
          port
        ])
        let out = ''
        child.stdout?.on('data', (d: Buffer) => (out += String(d)))
        await waitFor(async () => out.includes('ready'), { timeoutMs: 10_000, what: `the port blocker on ${port}` })
        blockers.push(child)
      }
      const { report } = await doctor(world)
      const dhcp = finding(report, 'port-holder/udp-67')
      expect(dhcp).toMatchObject({ severity: 'error', fix: null })
      expect(dhcp.evidence.join('\n')).toContain(`held by node (pid ${blockers[1].pid})`)
      expect(finding(report, 'port-holder/udp-53').severity).toBe('warning')
      expect(finding(report, 'port-holder/tcp-53').evidence.join('\n')).toContain(
        `held by node (pid ${blockers[0].pid})`
      )
      expect(dhcp.advice).toMatch(/stop that program/)
    } finally {
      for (const b of blockers) b.kill('SIGTERM')
    }
    await waitFor(async () => !findingIds((await doctor(world)).report).some((id) => id.startsWith('port-holder')), {
      timeoutMs: 10_000,
      what: 'the blockers to go'
    })
    await world.guestnet(['net-undefine', QUIET.name])
  })

  it("finds libvirt's virbr0 taking our bridge name and its default network's range", async () => {
    const file = await writeNetworkXml(world.dir, LIBVIRTISH)
    expect((await world.guestnet(['net-define', file])).code).toBe(0)
    await world.x.ip(world.host, ['link', 'add', 'virbr0', 'type', 'bridge'])
    await world.x.ip(world.host, ['addr', 'add', '192.168.122.1/24', 'dev', 'virbr0'])
    try {
      const { report } = await doctor(world)
      expect(finding(report, 'libvirt/bridge-virbr0')).toMatchObject({ severity: 'error', fix: null })
      const subnet = finding(report, 'libvirt/subnet-lv')
      expect(subnet.severity).toBe('error')
      expect(subnet.title).toBe("lv (192.168.122.0/24) overlaps libvirt's default network on virbr0")
      expect(subnet.advice).toMatch(/net-renumber lv/)
    } finally {
      await world.x.ip(world.host, ['link', 'del', 'virbr0'])
      await world.guestnet(['net-undefine', LIBVIRTISH.name])
    }
  })

  it('names a missing dnsmasq and its Debian package', async () => {
    // A private mount namespace where /usr/sbin/dnsmasq is an empty device: nothing outside it changes.
    const report = await new Promise<DoctorReport>((resolve, reject) => {
      execFile(
        'unshare',
        [
          '--mount',
          '--propagation',
          'private',
          '--',
          'sh',
          '-c',
          'mount --bind /dev/null /usr/sbin/dnsmasq && exec "$0" "$@"',
          process.execPath,
          GUESTNET_BIN,
          '--root',
          world.root,
          '--netns',
          world.host,
          'doctor',
          '--json'
        ],
        { timeout: 30_000 },
        (error, stdout, stderr) => {
          try {
            resolve(JSON.parse(String(stdout)) as DoctorReport)
          } catch {
            reject(new Error(`doctor in a private mount namespace failed: ${error?.message ?? ''}\n${String(stderr)}`))
          }
        }
      )
    })
    const f = finding(report, 'programs')
    expect(f).toMatchObject({ severity: 'error', title: 'missing program: dnsmasq', fix: null })
    expect(f.advice).toBe('install the Debian package dnsmasq-base: apt-get install dnsmasq-base')
    // Outside that mount namespace dnsmasq is still there.
    expect(findingIds((await doctor(world)).report)).not.toContain('programs')
    expect(await probeTcp(world.x, world.host, '203.0.113.1', INET_TCP_PORT)).toMatchObject({ result: 'connected' })
  })
})
