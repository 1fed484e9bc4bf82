/**
 * Link-local-only IPv6 (`<network ipv6='yes'>` with no IPv6 address, the wizard's "Link-local only"):
 * the bridge has its fe80:: address, so guests reach each other and the host over link-local IPv6,
 * the host reaches the guests, and names resolve by mDNS both ways — with the uplink down (offline),
 * which is what the 2007 design wanted the flag for. Positive control for the old defect: the host's
 * bridge address answers a guest's ping (it had none when the plan set disable_ipv6=1).
 */
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { canonicalIp } from '../../src-main/core/net/ip'
import { pingFrom } from '../../src-main/sandbox/topology'
import { waitFor } from '../../src-main/sandbox/wait'
import { expectOk } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import { HELPER_JS } from './support/helper-direct'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld, UPLINK } from './support/world'

const skip = cliSkipReason() ?? (existsSync(HELPER_JS) ? null : `the helper is not built (${HELPER_JS})`)
if (skip) console.warn(`netns link-local tests skipped: ${skip}`)

const MDNS = fileURLToPath(new URL('./support/mdns.mjs', import.meta.url))
const BRIDGE = 'gnll0'
const XML = `<network ipv6='yes'>
  <name>linklocal</name>
  <bridge name='${BRIDGE}'/>
  <forward mode='nat'/>
  <ip address='192.168.191.1' prefix='24'><dhcp><range start='192.168.191.10' end='192.168.191.99'/></dhcp></ip>
</network>
`

describe.skipIf(skip !== null)(`link-local-only IPv6${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let a: Guest
  let b: Guest
  const responders: ChildProcess[] = []

  const linkLocalOf = async (ns: string, ifname: string): Promise<string | null> => {
    const addrs = await world.x.ipJson<
      { addr_info: { family: string; local: string; scope: string; tentative?: boolean }[] }[]
    >(ns, ['addr', 'show', 'dev', ifname])
    // A tentative address (its duplicate address detection still running) cannot be used yet.
    return addrs[0]?.addr_info.find((i) => i.family === 'inet6' && i.scope === 'link' && !i.tentative)?.local ?? null
  }
  const ping6 = (ns: string, target: string): Promise<boolean> => pingFrom(world.x, ns, target)
  const respond = async (ns: string, name: string, ifname: string): Promise<void> => {
    const child = world.spawn(['ip', 'netns', 'exec', ns, process.execPath, MDNS, 'respond', name, ifname])
    responders.push(child)
    let ready = false
    child.stdout?.on('data', () => (ready = true))
    await waitFor(async () => ready, { timeoutMs: 5000, what: `the mDNS responder ${name} in ${ns}` })
  }
  const resolve = async (ns: string, name: string, ifname: string): Promise<string | null> => {
    const { stdout } = await world.x.inNs(ns, [process.execPath, MDNS, 'query', name, ifname, '3000'])
    const address = (JSON.parse(stdout.trim()) as { address: string | null }).address
    return address === null ? null : canonicalIp(address)
  }

  beforeAll(async () => {
    world = await createWorld()
    const file = `${world.dir}/linklocal.xml`
    await import('node:fs/promises').then((fs) => fs.writeFile(file, XML))
    expectOk(await world.guestnet(['net-define', file]))
    expectOk(await world.guestnet(['net-start', 'linklocal']))
    a = await world.addGuest({ bridge: BRIDGE, name: 'lla' })
    b = await world.addGuest({ bridge: BRIDGE, name: 'llb' })
    // Offline: the laptop has no uplink at all.
    await world.x.ip(world.host, ['link', 'set', UPLINK, 'down'])
  })
  afterAll(async () => {
    for (const r of responders) r.kill('SIGTERM')
    await world?.guestnet(['net-destroy', 'linklocal'])
    await world?.dispose()
  })

  it('gives the bridge its link-local address, with RAs from guests ignored and no global IPv6', async () => {
    expect(await linkLocalOf(world.host, BRIDGE)).toMatch(/^fe80:/)
    const sysctl = async (leaf: string): Promise<string> =>
      (await world.x.inNs(world.host, ['cat', `/proc/sys/net/ipv6/conf/${BRIDGE}/${leaf}`])).stdout.trim()
    expect(await sysctl('disable_ipv6')).toBe('0')
    expect(await sysctl('accept_ra')).toBe('0')
    expect((await world.x.inNs(world.host, ['cat', '/proc/sys/net/ipv6/conf/all/forwarding'])).stdout.trim()).toBe('0')
  })

  it('guests and the host reach each other over fe80::, offline', async () => {
    await waitFor(
      async () => (await linkLocalOf(a.ns, a.ifname)) !== null && (await linkLocalOf(b.ns, b.ifname)) !== null,
      {
        timeoutMs: 10_000,
        what: 'the guests’ link-local addresses'
      }
    )
    const host = await linkLocalOf(world.host, BRIDGE)
    const la = await linkLocalOf(a.ns, a.ifname)
    const lb = await linkLocalOf(b.ns, b.ifname)
    expect(await ping6(a.ns, `${host}%${a.ifname}`)).toBe(true)
    expect(await ping6(world.host, `${la}%${BRIDGE}`)).toBe(true)
    expect(await ping6(a.ns, `${lb}%${a.ifname}`)).toBe(true)
  })

  it('names resolve by mDNS both ways: the host finds a guest, a guest finds the host and the other guest', async () => {
    await respond(a.ns, 'guest-a', a.ifname)
    await respond(world.host, 'laptop', BRIDGE)
    await respond(b.ns, 'guest-b', b.ifname)
    expect(await resolve(world.host, 'guest-a', BRIDGE)).toBe(canonicalIp((await linkLocalOf(a.ns, a.ifname)) ?? ''))
    expect(await resolve(a.ns, 'laptop', a.ifname)).toBe(canonicalIp((await linkLocalOf(world.host, BRIDGE)) ?? ''))
    expect(await resolve(a.ns, 'guest-b', a.ifname)).toBe(canonicalIp((await linkLocalOf(b.ns, b.ifname)) ?? ''))
    // A name nobody answers for stays unresolved (the resolver can fail).
    expect(await resolve(a.ns, 'nobody', a.ifname)).toBeNull()
  })
})
