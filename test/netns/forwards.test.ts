/**
 * Port forwards with real nftables, dnsmasq and busybox udhcpc guests: a TCP and a UDP forward
 * reached from the internet namespace, from another guest (hairpin: the guest sees the host as its
 * peer, so the reply comes back through it) and from the host namespace itself; NAT66 to a guest's
 * ULA and a pinhole to a routed prefix's guest (that port only); a MAC-targeted forward follows its
 * guest to a new address and through net-renumber; an open connection survives a
 * forward added live; conflicts (a duplicate, a port a host program listens on) are refused with
 * the stored file and the table unchanged; delete and stop leave no rule.
 */
import { existsSync } from 'node:fs'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { waitFor } from '../../src-main/sandbox/wait'
import type { Guest } from './support/guest'
import { expectOk } from './support/guestnet-cli'
import { defineXml } from './support/networks'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld, HOST4, HOST6, INET4, INET6 } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns forwards tests skipped: ${skip}`)

const SERVER = fileURLToPath(new URL('./support/echo-server.mjs', import.meta.url))
const CLIENT = fileURLToPath(new URL('./support/echo-client.mjs', import.meta.url))

const NAME = 'fwd'
const BRIDGE = 'gnfwd0'
const GW4 = '192.168.172.1'
const ULA = 'fd5e:2a41:9c07:72::'
const GW6 = `${ULA}1`
const MAC_A = '52:54:00:7f:01:0a'
const MAC_B = '52:54:00:7f:01:0b'
const XML = `<network>
  <name>${NAME}</name>
  <!-- the admin's note: keep this -->
  <forward mode='nat'/>
  <bridge name='${BRIDGE}'/>
  <ip address='${GW4}' prefix='24'>
    <dhcp>
      <range start='192.168.172.100' end='192.168.172.200'/>
    </dhcp>
  </ip>
  <ip family='ipv6' address='${GW6}' prefix='64'/>
</network>
`

type Reply = { replies?: string[]; error?: string }

describe.skipIf(skip !== null)(`port forwards${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let a: Guest
  let b: Guest
  let aIp: string
  const file = (): string => join(world.root, 'etc', 'guestnet', 'networks', `${NAME}.xml`)

  async function serve(ns: string, proto: 'tcp' | 'udp', port: number): Promise<void> {
    const child = world.spawn(['ip', 'netns', 'exec', ns, process.execPath, SERVER, proto, String(port)])
    let out = ''
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (d: string) => (out += d))
    await waitFor(async () => out.includes('ready'), { timeoutMs: 10_000, what: `the ${proto} echo server in ${ns}` })
  }

  async function send(ns: string, proto: 'tcp' | 'udp', host: string, port: number): Promise<Reply> {
    const r = await world.x.inNs(ns, [process.execPath, CLIENT, proto, host, String(port)], { timeoutMs: 15_000 })
    return JSON.parse(r.stdout.trim()) as Reply
  }

  async function table(): Promise<string> {
    const r = await world.x.inNs(world.host, ['nft', 'list', 'table', 'inet', `guestnet_${NAME}`], { allowFail: true })
    return r.stdout
  }

  const fwd = (...args: string[]): ReturnType<World['guestnet']> => world.guestnet(args)

  beforeAll(async () => {
    world = await createWorld()
    // dnsmasq re-reads its hostsfile (net-update) after dropping root: it must be able to enter the directory.
    await chmod(world.dir, 0o711)
    await defineXml(world, NAME, XML)
    expectOk(await world.guestnet(['net-start', NAME]))
    a = await world.addGuest({ bridge: BRIDGE, name: 'alpha', mac: MAC_A })
    b = await world.addGuest({ bridge: BRIDGE, name: 'beta', mac: MAC_B })
    aIp = (await a.dhcp()).lease.ip
    await b.dhcp()
    await serve(a.ns, 'tcp', 8022)
    await serve(a.ns, 'udp', 8053)
  }, 120_000)
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NAME])
    await world?.dispose()
  })

  it('a TCP forward added live reaches the guest from the internet, from another guest (hairpin) and from the host', async () => {
    const before = await readFile(file(), 'utf8')
    const r = expectOk(
      await fwd('net-forward-add', NAME, '--proto', 'tcp', '--port', '2222', '--to', aIp, '--to-port', '8022')
    )
    expect(r.stdout).toMatch(/forwards tcp\/2222 \(live/)
    const stored = await readFile(file(), 'utf8')
    expect(stored).toContain(`<gn:forward proto='tcp' port='2222' to='${aIp}' toPort='8022'/>`)
    expect(stored).toContain("<!-- the admin's note: keep this -->")
    expect(before).not.toContain('gn:forward')

    // The internet's own address arrives: DNAT only, no source rewrite.
    expect(await send(world.inet, 'tcp', HOST4, 2222)).toEqual({ replies: [`${INET4} one`] })
    // Hairpin, to the uplink address and to the bridge's: the guest sees the host as the peer.
    expect(await send(b.ns, 'tcp', HOST4, 2222)).toEqual({ replies: [`${GW4} one`] })
    expect(await send(b.ns, 'tcp', GW4, 2222)).toEqual({ replies: [`${GW4} one`] })
    // The host to its own address.
    expect((await send(world.host, 'tcp', HOST4, 2222)).replies?.[0]).toMatch(/ one$/)
  })

  it('a UDP forward to a MAC reaches the guest from the internet and from another guest', async () => {
    expectOk(await fwd('net-forward-add', NAME, '--proto', 'udp', '--port', '5353', '--to', MAC_A, '--to-port', '8053'))
    expect(await send(world.inet, 'udp', HOST4, 5353)).toEqual({ replies: [`${INET4} one`] })
    expect(await send(b.ns, 'udp', HOST4, 5353)).toEqual({ replies: [`${GW4} one`] })
    const list = JSON.parse(expectOk(await fwd('net-forward-list', NAME, '--json')).stdout) as {
      forwards: { port: number; ipv4: string | null; state: string }[]
    }
    expect(list.forwards.find((f) => f.port === 5353)).toMatchObject({ ipv4: aIp, state: 'active' })
  })

  it('an open TCP connection survives a forward added live (the table is replaced, conntrack kept)', async () => {
    const hold = join(world.dir, 'hold-fwd')
    const child = world.spawn(['ip', 'netns', 'exec', world.inet, process.execPath, CLIENT, 'tcp', HOST4, '2222', hold])
    let out = ''
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (d: string) => (out += d))
    await new Promise((r) => setTimeout(r, 500))
    const live = expectOk(
      await world.guestnet(
        ['net-forward-add', NAME, '--proto', 'tcp', '--port', '2223', '--to', aIp, '--to-port', '8022'],
        {
          env: { GUESTNET_TIMING: '1' }
        }
      )
    )
    console.info(`net-forward-add live: ${live.ms.toFixed(0)} ms; ${live.stderr.trim()}`)
    await writeFile(hold, '')
    await waitFor(async () => out.includes('\n'), { timeoutMs: 20_000, what: 'the held connection' })
    expect(JSON.parse(out.trim())).toEqual({ replies: [`${INET4} one`, `${INET4} two`] })
    expect(existsSync(hold)).toBe(true)
  })

  it('NAT66: a forward to the guest over IPv6 reaches its ULA from the internet', async () => {
    const { address } = await a.slaac(`${ULA}/64`)
    // The host learns the guest's IPv6 address from its traffic (the neighbour table).
    expect(await a.ping(GW6)).toBe(true)
    expectOk(
      await fwd(
        'net-forward-add',
        NAME,
        '--proto',
        'tcp',
        '--port',
        '2224',
        '--to',
        MAC_A,
        '--to-port',
        '8022',
        '--family',
        'ipv6'
      )
    )
    expect(await table()).toContain(`dnat ip6 to [${address}]:8022`)
    expect(await send(world.inet, 'tcp', HOST6, 2224)).toEqual({ replies: [`${INET6} one`] })
  })

  it('refuses a duplicate and a port a host program listens on, naming it; file and table unchanged', async () => {
    const stored = await readFile(file(), 'utf8')
    const rules = await table()
    const dup = await fwd('net-forward-add', NAME, '--proto', 'tcp', '--port', '2222', '--to', MAC_B)
    expect(dup.code).toBe(2)
    expect(dup.stderr).toMatch(/forwarded already/)
    await serve(world.host, 'tcp', 3333)
    const busy = await fwd('net-forward-add', NAME, '--proto', 'tcp', '--port', '3333', '--to', MAC_B)
    expect(busy.code).not.toBe(0)
    expect(busy.stderr).toMatch(/tcp \[::\]:3333, node \(pid \d+\) listens there/)
    const outside = await fwd('net-forward-add', NAME, '--proto', 'tcp', '--port', '4444', '--to', '10.1.2.3')
    expect(outside.code).toBe(2)
    expect(outside.stderr).toMatch(/metadata\.portForwards\.forward\[\d\]\.to/)
    expect(await readFile(file(), 'utf8')).toBe(stored)
    expect(await table()).toBe(rules)
  })

  it('a MAC-targeted forward follows its guest to a new address', async () => {
    expectOk(await fwd('net-update', NAME, 'add', 'ip-dhcp-host', `<host mac='${MAC_A}' ip='192.168.172.50'/>`))
    expect((await a.dhcp()).lease.ip).toBe('192.168.172.50')
    const list = JSON.parse(expectOk(await fwd('net-forward-list', NAME, '--refresh', '--json')).stdout) as {
      forwards: { port: number; ipv4: string | null; state: string }[]
    }
    expect(list.forwards.find((f) => f.port === 5353)).toMatchObject({ ipv4: '192.168.172.50', state: 'active' })
    expect(await table()).toContain('dnat ip to 192.168.172.50:8053')
    expect(await send(world.inet, 'udp', HOST4, 5353)).toEqual({ replies: [`${INET4} one`] })
  })

  it("after net-renumber, the forwards follow: a MAC target to its guest's new lease, an address target with the subnet", async () => {
    expectOk(await fwd('net-renumber', NAME, '--to', '192.168.173.0/24'))
    const moved = aIp.replace('192.168.172.', '192.168.173.')
    expect(await readFile(file(), 'utf8')).toContain(`<gn:forward proto='tcp' port='2222' to='${moved}'`)
    expect((await a.dhcp()).lease.ip).toBe('192.168.173.50')
    const list = JSON.parse(expectOk(await fwd('net-forward-list', NAME, '--refresh', '--json')).stdout) as {
      forwards: { port: number; ipv4: string | null; state: string }[]
    }
    expect(list.forwards.find((f) => f.port === 5353)).toMatchObject({ ipv4: '192.168.173.50', state: 'active' })
    expect(await table()).toContain('dnat ip to 192.168.173.50:8053')
    expect(await send(world.inet, 'udp', HOST4, 5353)).toEqual({ replies: [`${INET4} one`] })
  })

  it('delete leaves no rule of that forward; stop leaves no table; the stored forwards stay', async () => {
    expectOk(await fwd('net-forward-del', NAME, '--proto', 'tcp', '--port', '2223'))
    expect(await table()).not.toMatch(/dport 2223/)
    const gone = await fwd('net-forward-del', NAME, '--proto', 'tcp', '--port', '2223')
    expect(gone.code).not.toBe(0)
    expect(gone.stderr).toMatch(/has no forward tcp\/2223/)
    expectOk(await world.guestnet(['net-destroy', NAME]))
    expect(await table()).toBe('')
    const list = JSON.parse(expectOk(await fwd('net-forward-list', NAME, '--json')).stdout) as {
      forwards: { state: string }[]
    }
    expect(list.forwards.map((f) => f.state)).toEqual(['stopped', 'stopped', 'stopped'])
    expect(await send(world.inet, 'tcp', HOST4, 2222)).toMatchObject({ error: expect.any(String) })
  })
})

const OWN = { name: 'fwd6', bridge: 'gnfwd6', prefix: '2001:db8:43::/64', gw: '2001:db8:43::1' }
const MAC_P = '52:54:00:7f:02:0a'

describe.skipIf(skip !== null)(
  `port forward pinhole on a routed IPv6 prefix${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let world: World
    let g: Guest
    let address: string

    beforeAll(async () => {
      world = await createWorld()
      await defineXml(
        world,
        OWN.name,
        `<network>
  <name>${OWN.name}</name>
  <forward mode='nat'/>
  <bridge name='${OWN.bridge}'/>
  <ip address='192.168.174.1' prefix='24'/>
  <ip family='ipv6' address='${OWN.gw}' prefix='64'/>
</network>
`
      )
      expectOk(await world.guestnet(['net-start', OWN.name]))
      // The upstream router routes the prefix to the host, as a delegated prefix would be.
      await world.x.ip(world.inet, ['-6', 'route', 'add', OWN.prefix, 'via', HOST6])
      g = await world.addGuest({ bridge: OWN.bridge, name: 'pin', mac: MAC_P })
      address = (await g.slaac(OWN.prefix)).address
      expect(await g.ping(OWN.gw)).toBe(true)
      const child = world.spawn(['ip', 'netns', 'exec', g.ns, process.execPath, SERVER, 'tcp', '8080'])
      let out = ''
      child.stdout?.setEncoding('utf8')
      child.stdout?.on('data', (d: string) => (out += d))
      await waitFor(async () => out.includes('ready'), { timeoutMs: 10_000, what: 'the echo server' })
      const other = world.spawn(['ip', 'netns', 'exec', g.ns, process.execPath, SERVER, 'tcp', '8081'])
      let out2 = ''
      other.stdout?.setEncoding('utf8')
      other.stdout?.on('data', (d: string) => (out2 += d))
      await waitFor(async () => out2.includes('ready'), { timeoutMs: 10_000, what: 'the second echo server' })
    }, 120_000)
    afterAll(async () => {
      await world?.guestnet(['net-destroy', OWN.name])
      await world?.dispose()
    })

    async function reach(port: number): Promise<Reply> {
      const r = await world.x.inNs(world.inet, [process.execPath, CLIENT, 'tcp', address, String(port)], {
        timeoutMs: 15_000
      })
      return JSON.parse(r.stdout.trim()) as Reply
    }

    it('opens exactly the forwarded port to the guest’s own address (control: the next port stays closed)', async () => {
      expect(await reach(8080)).toMatchObject({ error: expect.any(String) })
      expectOk(
        await world.guestnet([
          'net-forward-add',
          OWN.name,
          '--proto',
          'tcp',
          '--port',
          '8080',
          '--to',
          MAC_P,
          '--family',
          'ipv6'
        ])
      )
      const rules = (await world.x.inNs(world.host, ['nft', 'list', 'table', 'inet', `guestnet_${OWN.name}`])).stdout
      expect(rules).toContain(`ip6 daddr ${address} tcp dport 8080 ct state new accept`)
      expect(rules).not.toMatch(/dnat ip6/)
      expect(await reach(8080)).toEqual({ replies: [`${INET6} one`] })
      expect(await reach(8081)).toMatchObject({ error: expect.any(String) })
    })

    it('refuses a port change through a pinhole, naming the field', async () => {
      const r = await world.guestnet([
        'net-forward-add',
        OWN.name,
        '--proto',
        'tcp',
        '--port',
        '2222',
        '--to',
        MAC_P,
        '--to-port',
        '22',
        '--family',
        'ipv6'
      ])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/toPort.*pinhole|pinhole.*toPort/s)
    })
  }
)
