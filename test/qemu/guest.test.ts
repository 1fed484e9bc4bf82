/**
 * A real Linux guest (Debian's kernel under QEMU/TCG, a busybox initramfs, a virtio-net NIC) on a tap
 * port of a guestnet NAT network in a test namespace. From inside the guest: a DHCP lease from
 * guestnet's dnsmasq with its hostname in DNS, ping to the gateway, names resolved by the network's
 * DNS, the internet reached through NAT, a SLAAC address in the network's ULA /64; and the internet
 * cannot open a connection to it, except through a port forward to its MAC (IPv4, and NAT66 to its
 * ULA). Root only; skips itself with the reason when it cannot run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { addressOf, INTERNET_NAME, normalizePeer, PEER_CGI_PATH, resolveFrom } from '../../src-main/sandbox/topology'
import { expectOk } from '../netns/support/guestnet-cli'
import type { HostSnapshot } from '../netns/support/inspect'
import { defineAndStart, expectNothingLeft, snapshot } from '../netns/support/networks'
import { probeTcp } from '../netns/support/tcp'
import type { World } from '../netns/support/world'
import { createWorld, HOST4, HOST6, INET4, INET6 } from '../netns/support/world'
import { bootOnBridge } from './support/boot'
import type { GuestLine, QemuGuest } from './support/qemu-guest'
import { ok } from './support/qemu-guest'
import { qemuReadiness } from './support/requirements'

const ready = await qemuReadiness()
if (ready.skip) console.warn(`QEMU guest test skipped: ${ready.skip}`)

const ULA64 = 'fd6e:7e57:9a3b:1::/64'
const NET = {
  name: 'default',
  bridge: 'virbr0',
  mode: 'nat',
  ipv4: '192.168.122.1/24',
  ipv6: 'fd6e:7e57:9a3b:1::1/64',
  domain: 'qemu.test'
} as const
const GW4 = addressOf(NET.ipv4)
const GW6 = addressOf(NET.ipv6)
const TAP = 'gntap0'
const MAC = '52:54:00:47:4e:01'
const HOSTNAME = 'qemuguest'
const PORT = 8080
const BOOT_TIMEOUT_MS = 90_000

/** `fd6e:7e57:9a3b:1:5054:ff:fe47:4e01` is in `fd6e:7e57:9a3b:1::/64` (compares the first four groups). */
function inUla64(address: string): boolean {
  const groups = (a: string): string[] => {
    const [head, tail = ''] = a.split('::')
    const h = head ? head.split(':') : []
    const t = tail ? tail.split(':') : []
    const all = a.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h
    return all.map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
  }
  return groups(address).slice(0, 4).join(':') === groups(ULA64.split('/')[0]).slice(0, 4).join(':')
}

/** The addresses in busybox nslookup's answer section (the first block names the server). */
function answers(out: string[]): string[] {
  const blocks = out
    .join('\n')
    .split(/\n\s*\n/)
    .slice(1)
    .join('\n')
  return [...blocks.matchAll(/^Address(?: \d+)?:\s*(\S+)/gm)].map((m) => m[1])
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

describe.skipIf(ready.skip !== null)(
  `a real Linux guest under QEMU${ready.skip ? ` (skipped: ${ready.skip})` : ''}`,
  () => {
    let world: World
    let before: HostSnapshot
    let guest: QemuGuest
    let lease: GuestLine
    let slaac: GuestLine

    beforeAll(async () => {
      world = await createWorld()
      before = await snapshot(world)
      await defineAndStart(world, NET)
      guest = await bootOnBridge(world, ready, {
        bridge: NET.bridge,
        tap: TAP,
        mac: MAC,
        hostname: HOSTNAME,
        timeoutMs: BOOT_TIMEOUT_MS
      })
      lease = await guest.waitFor('LEASE', 1)
      slaac = await guest.waitFor('SLAAC', 1)
    }, BOOT_TIMEOUT_MS + 60_000)

    afterAll(async () => {
      if (guest && !guest.exited()) guest.child.kill('SIGKILL')
      await world?.guestnet(['net-destroy', NET.name])
      await world?.dispose()
    })

    it('boots and gets a DHCP lease from guestnet, with the gateway as router and DNS', async () => {
      const boot = guest.lines.find((l) => l.tag === 'BOOT')
      const link = guest.lines.find((l) => l.tag === 'LINK')
      const up = (l: GuestLine | undefined): number => Number(l?.fields.up ?? NaN)
      const readyLine = guest.lines.find((l) => l.tag === 'READY')
      console.info(
        `qemu guest (${boot?.fields.kernel}, TCG): boot to lease ${up(lease).toFixed(1)} s, lease to SLAAC ${(up(slaac) - up(lease)).toFixed(1)} s ` +
          `(guest uptime: init ${up(boot).toFixed(1)} s, link ${up(link).toFixed(1)} s, lease ${up(lease).toFixed(1)} s, SLAAC ${up(slaac).toFixed(1)} s); ` +
          `host clock from qemu start: lease ${seconds(lease.atMs)}, ready ${seconds(readyLine?.atMs ?? NaN)}`
      )
      expect(link?.fields.mac).toBe(MAC)
      expect(lease.fields.ip).toMatch(/^192\.168\.122\.(1\d|[2-9]\d)$/)
      expect(lease.fields.mask).toBe('24')
      expect(lease.fields.router).toBe(GW4)
      expect(lease.fields.dns).toBe(GW4)
      expect(lease.fields.domain).toBe(NET.domain)
    })

    it('shows in the network leases with its MAC and hostname', async () => {
      const run = expectOk(await world.guestnet(['net-dhcp-leases', NET.name, '--json']))
      const leases = JSON.parse(run.stdout) as Array<{ ip: string; mac?: string; hostname?: string }>
      expect(leases).toContainEqual(expect.objectContaining({ ip: lease.fields.ip, mac: MAC, hostname: HOSTNAME }))
    })

    it('pings the gateway over IPv4 and IPv6', async () => {
      for (const cmd of [`ping -c 1 -W 3 ${GW4}`, `ping6 -c 1 -W 3 ${GW6}`]) {
        expect(ok(await guest.run(cmd), cmd).join('\n')).toMatch(/1 packets received/)
      }
    })

    it('has its hostname registered in the network DNS', async () => {
      const own = await guest.run(`nslookup -type=a ${HOSTNAME}.${NET.domain}`)
      expect(answers(own.out)).toEqual([lease.fields.ip])
      // The same answer for anyone on the host asking the gateway.
      expect(await resolveFrom(world.x, world.host, HOSTNAME, GW4)).toEqual([lease.fields.ip])
    })

    it('resolves an internet name through the network DNS', async () => {
      const run = await guest.run(`nslookup -type=a ${INTERNET_NAME}`)
      expect(run.out.join('\n')).toContain(`Server:\t\t${GW4}`)
      expect(answers(run.out)).toEqual([INET4])
    })

    it('reaches the internet through NAT: the server sees the uplink address', async () => {
      const out = ok(await guest.run(`timeout 10 wget -q -O - http://${INTERNET_NAME}${PEER_CGI_PATH}`), 'wget')
      expect(normalizePeer(out.join('\n'))).toBe(HOST4)
    })

    it("gets a SLAAC address in the network's ULA /64", async () => {
      expect(inUla64(slaac.fields.addr)).toBe(true)
      // The kernel's default EUI-64 interface id, from the NIC's MAC: the address is this guest's own.
      expect(slaac.fields.addr).toBe('fd6e:7e57:9a3b:1:5054:ff:fe47:4e01')
      const route = await guest.run('ip -6 route show default')
      expect(route.out.join('\n')).toMatch(/^default via fe80:/m)
    })

    it('does not accept connections from the internet, over IPv6 or IPv4', async () => {
      ok(await guest.run(`gn-listen ${PORT}`), 'gn-listen')
      const guest6 = slaac.fields.addr
      const guest4 = lease.fields.ip
      // Controls: the host reaches the listener on both families, so a failure below is the firewall's.
      expect(await probeTcp(world.x, world.host, guest6, PORT, 5000)).toMatchObject({
        result: 'connected',
        reply: `hello ${GW6}`
      })
      expect(await probeTcp(world.x, world.host, guest4, PORT, 5000)).toMatchObject({
        result: 'connected',
        reply: `hello ${GW4}`
      })
      // The internet's router knows where the guest networks are, as a real upstream might.
      await world.x.ip(world.inet, ['-6', 'route', 'add', ULA64, 'via', HOST6])
      await world.x.ip(world.inet, ['route', 'add', '192.168.122.0/24', 'via', HOST4])
      expect((await probeTcp(world.x, world.inet, guest6, PORT, 2000)).result).not.toBe('connected')
      expect((await probeTcp(world.x, world.inet, guest4, PORT, 2000)).result).not.toBe('connected')
      // Only the two control connections reached the guest.
      expect(guest.lines.filter((l) => l.tag === 'PEER').map((l) => l.fields.peer)).toEqual([GW6, GW4])
    })

    it('is reached from the internet through a port forward to its MAC, over IPv4 and IPv6 (NAT66)', async () => {
      expectOk(
        await world.guestnet([
          'net-forward-add',
          NET.name,
          '--proto',
          'tcp',
          '--port',
          '2222',
          '--to',
          MAC,
          '--to-port',
          String(PORT),
          '--family',
          'both'
        ])
      )
      const list = JSON.parse(expectOk(await world.guestnet(['net-forward-list', NET.name, '--json'])).stdout) as {
        forwards: Array<{ port: number; ipv4: string | null; ipv6: string | null; state: string }>
      }
      expect(list.forwards).toContainEqual(
        expect.objectContaining({ port: 2222, ipv4: lease.fields.ip, ipv6: slaac.fields.addr, state: 'active' })
      )
      // The guest sees the internet's own address: a forward rewrites the destination only.
      expect(await probeTcp(world.x, world.inet, HOST4, 2222, 5000)).toMatchObject({
        result: 'connected',
        reply: `hello ${INET4}`
      })
      expect(await probeTcp(world.x, world.inet, HOST6, 2222, 5000)).toMatchObject({
        result: 'connected',
        reply: `hello ${INET6}`
      })
      // Control: the next port is not forwarded.
      expect((await probeTcp(world.x, world.inet, HOST4, 2223, 2000)).result).not.toBe('connected')
      expectOk(await world.guestnet(['net-forward-del', NET.name, '--proto', 'tcp', '--port', '2222']))
      expect((await probeTcp(world.x, world.inet, HOST4, 2222, 2000)).result).not.toBe('connected')
    })

    it('powers off, and stopping the network leaves nothing behind', async () => {
      expect(await guest.poweroff()).toBe(0)
      await world.x.ip(world.host, ['link', 'del', TAP])
      expectOk(await world.guestnet(['net-destroy', NET.name]))
      await expectNothingLeft(world, before)
    })
  }
)
