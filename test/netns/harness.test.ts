/**
 * The harness itself, without guestnet: the uplink and the internet namespace's services, the guard,
 * guests with a real DHCP client and SLAAC against a plain dnsmasq the test starts, and cleanup.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createNsExec } from '../../src-main/sandbox/ns-exec'
import { NsGuardError } from '../../src-main/sandbox/ns-exec'
import {
  fetchFrom,
  INTERNET_NAME,
  listNamespaces,
  normalizePeer,
  PEER_CGI_PATH,
  resolveFrom
} from '../../src-main/sandbox/topology'
import { waitFor } from '../../src-main/sandbox/wait'
import { sweepLeftovers } from './support/cleanup'
import { harnessSkipReason } from './support/requirements'
import { probeTcp } from './support/tcp'
import type { World } from './support/world'
import { createWorld, HOST4, HOST6, INET4, INET6, INET_TCP_PORT } from './support/world'

const skip = harnessSkipReason()
if (skip) console.warn(`netns harness tests skipped: ${skip}`)

describe.skipIf(skip !== null)(`netns harness${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World

  beforeAll(async () => {
    world = await createWorld()
  })
  afterAll(async () => {
    if (!world) return
    const names = [world.host, world.inet]
    await world.dispose()
    const left = await listNamespaces(createNsExec(() => false))
    expect(left.filter((ns) => names.includes(ns))).toEqual([])
    expect(existsSync(join('/etc/netns', names[0]))).toBe(false)
  })

  it('serves HTTP in the internet namespace and shows the caller its own address', async () => {
    expect(await fetchFrom(world.x, world.host, `http://${INET4}/`)).toContain('203.0.113.0/24')
    const peer = await fetchFrom(world.x, world.host, `http://${INET4}${PEER_CGI_PATH}`)
    expect(normalizePeer(peer ?? '')).toBe(HOST4)
    const peer6 = await fetchFrom(world.x, world.host, `http://[${INET6}]${PEER_CGI_PATH}`)
    expect(normalizePeer(peer6 ?? '')).toBe(HOST6)
  })

  it('answers DNS for internet.test from the internet namespace, the host upstream', async () => {
    expect(await resolveFrom(world.x, world.host, INTERNET_NAME, INET4)).toEqual([INET4])
    expect(await resolveFrom(world.x, world.host, INTERNET_NAME, INET4, 'aaaa')).toEqual([INET6])
    expect(await resolveFrom(world.x, world.host, 'elsewhere.test', INET4)).toEqual([])
    expect(readFileSync(join('/etc/netns', world.host, 'resolv.conf'), 'utf8')).toContain(`nameserver ${INET4}`)
  })

  it('logs the peer address of TCP connections to the internet namespace', async () => {
    const before = world.inetListener.peers.length
    const probe = await probeTcp(world.x, world.host, INET4, INET_TCP_PORT)
    expect(probe).toMatchObject({ result: 'connected', reply: `hello ${HOST4}` })
    expect(world.inetListener.peers.slice(before)).toEqual([HOST4])
    expect(await probeTcp(world.x, world.host, INET4, INET_TCP_PORT + 1)).toEqual({ result: 'refused' })
  })

  it('refuses commands that would touch the root namespace', async () => {
    await expect(world.x.run(['ip', 'link', 'add', 'gnt-bad', 'type', 'bridge'])).rejects.toBeInstanceOf(NsGuardError)
    await expect(world.x.run(['nft', 'list', 'ruleset'])).rejects.toThrow(/only 'ip -n NS/)
    await expect(world.x.ip('not-ours', ['link'])).rejects.toThrow(/not one of ours/)
    expect(() => world.x.spawn(['busybox', 'httpd'])).toThrow(NsGuardError)
  })

  it('gives guests a lease, SLAAC and names from a plain dnsmasq on a bridge', async () => {
    const { x, host, dir } = world
    await x.ip(host, ['link', 'add', 'tbr0', 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0'])
    await x.ip(host, ['addr', 'add', '10.77.0.1/24', 'dev', 'tbr0'])
    await x.ip(host, ['addr', 'add', 'fd77::1/64', 'dev', 'tbr0', 'nodad'])
    await x.ip(host, ['link', 'set', 'tbr0', 'up'])
    const leases = join(dir, 'harness.leases')
    world.spawn([
      'ip',
      'netns',
      'exec',
      host,
      'dnsmasq',
      '--keep-in-foreground',
      '--conf-file=/dev/null',
      '--no-resolv',
      '--no-hosts',
      '--interface=tbr0',
      '--bind-interfaces',
      '--except-interface=lo',
      '--domain=harness',
      '--dhcp-range=10.77.0.10,10.77.0.50,1h',
      '--dhcp-range=fd77::,ra-only,64',
      '--enable-ra',
      '--dhcp-no-override',
      '--no-ping',
      `--dhcp-leasefile=${leases}`,
      `--pid-file=${join(dir, 'harness.pid')}`,
      '--user=root'
    ])
    await waitFor(async () => (await x.inNs(host, ['busybox', 'netstat', '-lun'])).stdout.includes('10.77.0.1:53'), {
      timeoutMs: 5000,
      what: 'dnsmasq on tbr0'
    })
    const [a, b] = await Promise.all([
      world.addGuest({ bridge: 'tbr0', name: 'alpha' }),
      world.addGuest({ bridge: 'tbr0', name: 'beta' })
    ])
    const [la, lb] = await Promise.all([a.dhcp(), b.dhcp()])
    expect(la.lease.ip).toMatch(/^10\.77\.0\.(1\d|[2-4]\d|50)$/)
    expect(la.lease.routers).toEqual(['10.77.0.1'])
    expect(la.lease.dns).toEqual(['10.77.0.1'])
    expect(lb.lease.ip).not.toBe(la.lease.ip)
    expect(await a.ping(lb.lease.ip)).toBe(true)
    expect(await a.resolve('beta')).toEqual([lb.lease.ip])
    expect(await b.resolve('alpha.harness')).toEqual([la.lease.ip])
    expect(await a.resolve('nosuchguest')).toEqual([])
    const { address } = await a.slaac('fd77::/64')
    expect(address).toMatch(/^fd77::/)
    // beta needs its own router advertisement (its route to fd77::/64) before it can ping the gateway.
    expect((await b.slaac('fd77::/64')).address).toMatch(/^fd77::/)
    expect(await b.ping('fd77::1')).toBe(true)
  })

  it('sweeps namespaces left by a test process that died', async () => {
    const dead = spawnSync('true').pid
    expect(dead).toBeGreaterThan(0)
    const name = `gnt-${dead}-leftover`
    const own = createNsExec((ns) => ns === name)
    await own.run(['ip', 'netns', 'add', name])
    try {
      expect(sweepLeftovers()).toContain(name)
      expect(await listNamespaces(own)).not.toContain(name)
    } finally {
      await own.run(['ip', 'netns', 'del', name], { allowFail: true })
    }
  })
})
