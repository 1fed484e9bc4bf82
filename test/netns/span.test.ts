/**
 * One network across three hosts over VXLAN (docs/several-hosts.md): three "host" namespaces on an
 * underlay switch, each running guestnet with the same definition but its own underlay address and
 * slice of the DHCP range, each with its own uplink to the internet. Guests with a real DHCP client on
 * every host; one moves to another host; one host stops; a stranger on the underlay tries VXLAN.
 */
import type { ChildProcess } from 'node:child_process'
import { chmod, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { parseLeaseFile } from '../../src-main/sandbox/dhcp-client'
import { waitFor } from '../../src-main/sandbox/wait'
import { expectOk } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import type { HostSnapshot } from './support/inspect'
import { leftovers, snapshotHost } from './support/inspect'
import { cliSkipReason } from './support/requirements'
import type { SpanHost, SpanWorld } from './support/span-world'
import { createSpanHosts, moveGuest, underlayOf } from './support/span-world'
import type { World } from './support/world'
import { createWorld, INET4, INET_TCP_PORT } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns span tests skipped: ${skip}`)

const NAME = 'spannet'
const BRIDGE = 'virbr14'
const GATEWAY = '192.168.140.1'
const HOSTS = 3
/** .10–.99 in three parts. */
const SLICES = [
  [10, 39],
  [40, 69],
  [70, 99]
]
const RESERVED = { mac: '52:54:00:14:00:99', name: 'fixed', ip: '192.168.140.200' }

function spanXml(host: number): string {
  const peers = [1, 2, 3]
    .filter((i) => i !== host)
    .map((i) => `<gn:peer address='${underlayOf(i)}'/>`)
    .join('')
  return `<network>
  <name>${NAME}</name>
  <uuid>6a0d5f2e-14b1-4c3e-9d3e-0f4a1b2c3d4e</uuid>
  <forward mode='nat'/>
  <bridge name='${BRIDGE}'/>
  <mac address='52:54:00:14:00:01'/>
  <domain name='span.test'/>
  <metadata>
    <gn:span xmlns:gn='urn:guestnet:network:1' vni='4242' underlay='${underlayOf(host)}' slice='${host}/${HOSTS}'>${peers}</gn:span>
  </metadata>
  <ip address='${GATEWAY}' prefix='24'>
    <dhcp>
      <range start='192.168.140.10' end='192.168.140.99'/>
      <host mac='${RESERVED.mac}' name='${RESERVED.name}' ip='${RESERVED.ip}'/>
    </dhcp>
  </ip>
</network>
`
}

const lastOctet = (ip: string | undefined): number => Number((ip ?? '').split('.')[3])

describe.skipIf(skip !== null)(`a network across ${HOSTS} hosts${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let span: SpanWorld
  let hosts: SpanHost[]
  const before = new Map<number, HostSnapshot>()
  const guests: Guest[] = []
  let mover: Guest
  let moverClient: ChildProcess
  /** VXLAN from a stranger on the underlay at `address` to host 2: does a guest there answer? */
  let vxlanFrom: (address: string) => Promise<boolean>

  beforeAll(async () => {
    world = await createWorld()
    // dnsmasq reads the reservations' names after dropping root: it must be able to enter the directory.
    await chmod(world.dir, 0o711)
    span = await createSpanHosts(world, HOSTS)
    hosts = span.hosts
    for (const h of hosts) before.set(h.index, await snapshotHost(world.x, h.ns, h.root))
  }, 60_000)
  afterAll(async () => {
    for (const h of hosts ?? []) await h.guestnet(['net-destroy', NAME])
    await world?.dispose()
  })

  it('starts on every host from the same definition, each with its own underlay address and slice', async () => {
    for (const h of hosts) {
      const file = join(world.dir, `${NAME}-${h.index}.xml`)
      await writeFile(file, spanXml(h.index))
      expectOk(await h.guestnet(['net-define', file]))
      const run = expectOk(await h.guestnet(['net-start', NAME]))
      console.info(`net-start on host ${h.index}: ${run.ms.toFixed(0)} ms`)
      const link = await world.x.ip(h.ns, ['-d', 'link', 'show', 'gnvx4242'])
      expect(link.stdout).toContain(`master ${BRIDGE}`)
      expect(link.stdout).toContain('mtu 1450')
      expect(link.stdout).toMatch(new RegExp(`vxlan id 4242 local ${underlayOf(h.index).replace(/\./g, '\\.')} `))
    }
  })

  it("refuses a definition whose underlay address is not the host's", async () => {
    const file = join(world.dir, 'wrong-underlay.xml')
    await writeFile(
      file,
      spanXml(2)
        .replace(NAME, 'spanwrong')
        .replace(/<uuid>.*<\/uuid>/, '')
    )
    const run = await hosts[0].guestnet(['net-define', file])
    expect(run.code).not.toBe(0)
    expect(`${run.stderr}${run.stdout}`).toContain(`${underlayOf(2)} is not an address of this host`)
  })

  it("gives each host's guests addresses from that host's slice, and the VXLAN's MTU", async () => {
    for (const h of hosts) {
      guests.push(await h.addGuest({ bridge: BRIDGE, name: `guest${h.index}` }))
    }
    const leases = await Promise.all(guests.map((g) => g.dhcp()))
    leases.forEach(({ lease }, i) => {
      const [lo, hi] = SLICES[i]
      expect(lastOctet(lease.ip), `guest${i + 1} ${lease.ip}`).toBeGreaterThanOrEqual(lo)
      expect(lastOctet(lease.ip), `guest${i + 1} ${lease.ip}`).toBeLessThanOrEqual(hi)
      expect(lease.routers).toEqual([GATEWAY])
      expect(lease.mtu).toBe(1450)
    })
  })

  it('guests reach each other across hosts', async () => {
    const [a, b, c] = guests
    expect(await a.ping(b.lease?.ip ?? '')).toBe(true)
    expect(await b.ping(c.lease?.ip ?? '')).toBe(true)
    expect(await c.ping(a.lease?.ip ?? '')).toBe(true)
  })

  it("each guest answers to the gateway of its own host: the gateway's ARP never crosses", async () => {
    for (const [i, g] of guests.entries()) {
      expect(await g.ping(GATEWAY)).toBe(true)
      // The same gateway address, the same MAC; the host that answers is the guest's own.
      const arp = await world.x.inNs(g.ns, ['ip', 'neigh', 'show', GATEWAY])
      expect(arp.stdout).toContain('52:54:00:14:00:01')
      const peers = await world.x.inNs(hosts[i].ns, ['ip', 'neigh', 'show', 'dev', BRIDGE])
      const others = guests.filter((o) => o !== g).map((o) => o.lease?.ip ?? '')
      expect(
        others.some((ip) => peers.stdout.includes(`${ip} `)),
        peers.stdout
      ).toBe(false)
    }
  })

  it('resolves a reservation on every host, and a guest by name on its own host', async () => {
    for (const g of guests) expect(await g.resolve(`${RESERVED.name}.span.test`)).toEqual([RESERVED.ip])
    expect(await guests[1].resolve('guest2.span.test')).toEqual([guests[1].lease?.ip])
  })

  it("each reaches the internet through its own host's NAT", async () => {
    for (const [i, g] of guests.entries()) {
      const probe = await g.probe(INET4, INET_TCP_PORT)
      expect(probe, `guest${i + 1}`).toMatchObject({ result: 'connected', reply: `hello ${hosts[i].uplink4}` })
    }
  })

  it('a guest moved to another host keeps its address on renewal and is reachable there', async () => {
    const [h1, h2] = hosts
    mover = await h1.addGuest({ bridge: BRIDGE, name: 'mover' })
    const leaseFile = join(world.dir, 'lease-mover')
    // A running DHCP client, as in a VM: after the move it renews (unicast to the gateway address).
    moverClient = world.spawn([
      ...['ip', 'netns', 'exec', mover.ns, 'env', `GN_LEASE_FILE=${leaseFile}`],
      ...['busybox', 'udhcpc', '-f', '-i', 'eth0', '-s', join(world.dir, 'udhcpc.sh'), '-x', 'hostname:mover']
    ])
    const first = await waitFor(async () => parseLeaseFile(await readFile(leaseFile, 'utf8')), {
      timeoutMs: 15_000,
      what: "the mover's first lease"
    })
    const [lo, hi] = SLICES[0]
    expect(lastOctet(first.ip)).toBeGreaterThanOrEqual(lo)
    expect(lastOctet(first.ip)).toBeLessThanOrEqual(hi)

    await moveGuest(world, mover, h1, h2)
    await rm(leaseFile)
    moverClient.kill('SIGUSR1')
    const renewed = await waitFor(async () => parseLeaseFile(await readFile(leaseFile, 'utf8')), {
      timeoutMs: 10_000,
      what: "the mover's renewal on host 2"
    })
    expect(renewed.ip).toBe(first.ip)
    const leases = await readFile(join(h2.root, 'var', 'lib', 'guestnet', 'dnsmasq', `${NAME}.leases`), 'utf8')
    expect(leases).toContain(` ${first.ip} mover `)
    // Its first packets tell the other hosts where it is now (VXLAN learning), as a migrated VM's announce does.
    await world.x.inNs(mover.ns, ['ip', 'neigh', 'flush', 'dev', 'eth0'])
    expect(await mover.ping(guests[2].lease?.ip ?? '')).toBe(true)
    expect(await guests[2].ping(first.ip)).toBe(true)
    expect(await guests[1].ping(first.ip)).toBe(true)
  })

  it('net-info shows the peers and the guests learned behind each', async () => {
    const info = expectOk(await hosts[1].guestnet(['net-info', NAME])).stdout
    expect(info).toMatch(/Span:?\s+VXLAN 4242 from 198\.51\.100\.2/)
    expect(info).toMatch(/Peer:?\s+198\.51\.100\.1 \([1-9]\d* guests? behind it\)/)
    expect(info).toMatch(/Peer:?\s+198\.51\.100\.3 \([1-9]\d* guests? behind it\)/)
  })

  it("stopping one host leaves the others' guests working", async () => {
    expectOk(await hosts[0].guestnet(['net-destroy', NAME]))
    const [, b, c] = guests
    expect(await b.ping(c.lease?.ip ?? '')).toBe(true)
    expect(await c.ping(b.lease?.ip ?? '')).toBe(true)
    expect(await b.probe(INET4, INET_TCP_PORT)).toMatchObject({
      result: 'connected',
      reply: `hello ${hosts[1].uplink4}`
    })
    expect(await guests[0].ping(b.lease?.ip ?? '', 1)).toBe(false)
  })

  it('drops VXLAN from an address that is not a peer (control: from a peer address it passes)', async () => {
    const { x } = world
    const rogue = await world.newNamespace('r')
    await x.ip(rogue, ['link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'uhr', 'netns', span.underlayNs])
    await x.ip(span.underlayNs, ['link', 'set', 'uhr', 'master', 'ul0', 'up'])
    vxlanFrom = async (address: string): Promise<boolean> => {
      await x.ip(rogue, ['addr', 'flush', 'dev', 'lan0'])
      await x.ip(rogue, ['addr', 'add', `${address}/24`, 'dev', 'lan0'])
      await x.ip(rogue, ['link', 'set', 'lan0', 'up'])
      await x.ip(rogue, ['link', 'del', 'vx0'], { allowFail: true })
      await x.ip(rogue, [
        'link',
        'add',
        'vx0',
        'type',
        'vxlan',
        'id',
        '4242',
        'local',
        address,
        'remote',
        underlayOf(2),
        'dstport',
        '4789'
      ])
      await x.ip(rogue, ['addr', 'add', '192.168.140.250/24', 'dev', 'vx0'])
      await x.ip(rogue, ['link', 'set', 'vx0', 'up'])
      return x
        .inNs(rogue, ['busybox', 'ping', '-c', '2', '-W', '2', guests[1].lease?.ip ?? ''], { allowFail: true })
        .then((r) => r.code === 0)
    }
    expect(await vxlanFrom('198.51.100.9')).toBe(false)
    // Host 1 is stopped: take it off the underlay and speak from its (a peer's) address.
    await x.ip(span.underlayNs, ['link', 'del', 'uh1'])
    expect(await vxlanFrom(underlayOf(1))).toBe(true)
  })

  it('net-span deletes and adds a peer on the running network: its VXLAN is dropped, then admitted again', async () => {
    const h2 = hosts[1]
    const shown = expectOk(await h2.guestnet(['net-span', NAME, '--show'])).stdout
    expect(shown).toContain(`Peers: ${underlayOf(1)}, ${underlayOf(3)}`)
    expect(expectOk(await h2.guestnet(['net-span', NAME, '--del-peer', underlayOf(1)])).stdout).toMatch(/live/)
    const fdb = await world.x.inNs(h2.ns, ['bridge', 'fdb', 'show', 'dev', 'gnvx4242'])
    // The flood entry goes; MACs learned behind the peer age out (300 s) and its VXLAN is dropped meanwhile.
    expect(fdb.stdout).not.toContain(`00:00:00:00:00:00 dst ${underlayOf(1)} `)
    expect(fdb.stdout).toContain(`00:00:00:00:00:00 dst ${underlayOf(3)} `)
    expect(await vxlanFrom(underlayOf(1))).toBe(false)
    // The guests of the remaining peer are not disturbed.
    expect(await guests[1].ping(guests[2].lease?.ip ?? '')).toBe(true)
    const again = await h2.guestnet(['net-span', NAME, '--del-peer', underlayOf(1)])
    expect(again.code).not.toBe(0)
    expect(again.stderr).toContain(`${underlayOf(1)} is not a peer`)
    expectOk(await h2.guestnet(['net-span', NAME, '--add-peer', underlayOf(1)]))
    expect(await vxlanFrom(underlayOf(1))).toBe(true)
    expect(expectOk(await h2.guestnet(['net-span', NAME, '--show'])).stdout).toContain(
      `Peers: ${underlayOf(3)}, ${underlayOf(1)}`
    )
  })

  it('status calls a network whose VXLAN port was deleted broken, and reconcile tears down the rest', async () => {
    const h3 = hosts[2]
    expect(expectOk(await h3.guestnet(['net-info', NAME])).stdout).toMatch(/State:?\s+active/)
    await world.x.ip(h3.ns, ['link', 'del', 'gnvx4242'])
    const info = expectOk(await h3.guestnet(['net-info', NAME])).stdout
    expect(info).toMatch(/State:?\s+broken/)
    expect(info).toContain('missing: VXLAN port gnvx4242')
    // reconcile tears down what is left of it from its journal, as for a network that lost its bridge.
    expectOk(await h3.guestnet(['reconcile']))
    expect(expectOk(await h3.guestnet(['net-info', NAME])).stdout).toMatch(/Active:?\s+no/)
  })

  it('stops on every host and leaves nothing behind', async () => {
    moverClient.kill()
    expectOk(await hosts[1].guestnet(['net-destroy', NAME]))
    const guestPorts = new Set([...guests, mover].map((g) => `link ${g.hostIf}`))
    for (const h of hosts) {
      const after = await snapshotHost(world.x, h.ns, h.root)
      const left = leftovers(before.get(h.index) as HostSnapshot, after).filter((l) => !guestPorts.has(l))
      expect(left, `host ${h.index}`).toEqual([])
      expect(after.links).not.toContain('gnvx4242')
    }
  })
})
