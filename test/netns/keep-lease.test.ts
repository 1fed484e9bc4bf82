/**
 * "Keep this address" (`net-dhcp-leases NAME --keep MAC`) on a running network, with real dnsmasq
 * and busybox udhcpc guests: the guest's live lease becomes a reservation in the stored file and in
 * dnsmasq's hostsfile with dnsmasq's pid unchanged; after the guest releases its lease another guest
 * asking for that address does not get it (positive control: it gets a free one it asks for), and
 * the guest gets the same address again. Refusals (an unknown MAC, an address reserved for another
 * MAC) name the problem and leave file, hostsfile and dnsmasq as they were. The helper's read-only
 * `leases` with `neighbours` reads the bridge's neighbour table inside the network's namespace.
 */
import { chmod, readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Guest } from './support/guest'
import { expectOk } from './support/guestnet-cli'
import { runHelper } from './support/helper-direct'
import { defineXml, dnsmasqIdentity } from './support/networks'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns keep-lease tests skipped: ${skip}`)

const NAME = 'keep'
const BRIDGE = 'gnkeep0'
const MAC_A = '52:54:00:7e:02:0a'
const MAC_B = '52:54:00:7e:02:0b'
const MAC_C = '52:54:00:7e:02:0c'
const XML = `<network>
  <name>${NAME}</name>
  <!-- kept by keep -->
  <forward mode='nat'/>
  <bridge name='${BRIDGE}'/>
  <ip address='192.168.172.1' prefix='24'>
    <dhcp>
      <range start='192.168.172.100' end='192.168.172.200'/>
      <host mac='${MAC_C}' ip='192.168.172.20' name='taken'/>
    </dhcp>
  </ip>
</network>
`

describe.skipIf(skip !== null)(`net-dhcp-leases --keep, live${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let a: Guest
  let b: Guest
  const file = (): string => join(world.root, 'etc', 'guestnet', 'networks', `${NAME}.xml`)
  const hostsfile = (): string => join(world.root, 'run', 'guestnet', NAME, 'hostsfile')
  const leasesFile = (): string => join(world.root, 'var', 'lib', 'guestnet', 'dnsmasq', `${NAME}.leases`)

  /** One udhcpc run: `-r` asks for an address, `-R` releases the lease when it quits. */
  async function udhcpc(g: Guest, extra: string[]): Promise<{ code: number | null; out: string }> {
    const r = await world.x.inNs(
      g.ns,
      [
        'busybox',
        'udhcpc',
        '-f',
        '-q',
        '-n',
        '-i',
        'eth0',
        '-s',
        join(world.dir, 'udhcpc.sh'),
        '-t',
        '5',
        '-T',
        '1',
        '-A',
        '1',
        ...extra
      ],
      { allowFail: true, timeoutMs: 15_000, env: { ...process.env, GN_LEASE_FILE: join(world.dir, `lease-x-${g.ns}`) } }
    )
    return { code: r.code, out: r.stdout + r.stderr }
  }

  /** A running udhcpc (as a guest's is) that gets the lease, then gives it back (SIGUSR2) and quits. */
  async function release(g: Guest): Promise<void> {
    const child = world.spawn([
      'ip',
      'netns',
      'exec',
      g.ns,
      'busybox',
      'udhcpc',
      '-f',
      '-i',
      'eth0',
      '-s',
      join(world.dir, 'udhcpc.sh'),
      '-T',
      '1',
      '-A',
      '1'
    ])
    let out = ''
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()))
    await expect.poll(() => out, { timeout: 10_000 }).toMatch(/lease of .* obtained/)
    child.kill('SIGUSR2')
    await expect.poll(() => out, { timeout: 5000 }).toMatch(/releas/i)
    child.kill('SIGTERM')
  }

  function keep(mac: string): ReturnType<World['guestnet']> {
    return world.guestnet(['net-dhcp-leases', NAME, '--keep', mac])
  }

  beforeAll(async () => {
    world = await createWorld()
    await chmod(world.dir, 0o711)
    await defineXml(world, NAME, XML)
    expectOk(await world.guestnet(['net-start', NAME]))
    a = await world.addGuest({ bridge: BRIDGE, name: 'alpha', mac: MAC_A })
    b = await world.addGuest({ bridge: BRIDGE, name: 'beta', mac: MAC_B })
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NAME])
    await world?.dispose()
  })

  it("the helper's read-only leases verb with neighbours reads the bridge's neighbour table in the network's namespace", async () => {
    const ip = (await a.dhcp()).lease.ip
    expect(await a.ping('192.168.172.1')).toBe(true)
    const ask = async (
      neighbours: boolean
    ): Promise<{ neighbours?: { family: string; ip: string; mac: string }[] }> => {
      const args = { root: world.root, netns: world.host, name: NAME, ...(neighbours ? { neighbours: true } : {}) }
      const out = await runHelper(world, { verb: 'leases', raw: `${JSON.stringify({ verb: 'leases', args })}\n` })
      const result = out.events.find((e) => e.type === 'result')
      expect(result?.ok).toBe(true)
      return result?.value as { neighbours?: { family: string; ip: string; mac: string }[] }
    }
    // The bridge exists only in the test's host namespace: an empty answer would mean another table was read.
    expect((await ask(true)).neighbours).toContainEqual(expect.objectContaining({ family: 'ipv4', ip, mac: MAC_A }))
    expect((await ask(false)).neighbours).toBeUndefined()
  })

  it('refuses an unknown MAC and a reserved MAC without a lease, changing nothing', async () => {
    await a.dhcp()
    const stored = await readFile(file(), 'utf8')
    const hosts = await readFile(hostsfile(), 'utf8')
    const before = await dnsmasqIdentity(world, NAME)

    const unknown = await keep('52:54:00:7e:02:ff')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/no guest with MAC 52:54:00:7e:02:ff has a live IPv4 lease on network keep/)

    // C has a reservation but no lease: nothing live to keep.
    const reservedOwner = await keep(MAC_C)
    expect(reservedOwner.code).toBe(2)
    expect(reservedOwner.stderr).toMatch(/no guest with MAC 52:54:00:7e:02:0c/)

    expect(await readFile(file(), 'utf8')).toBe(stored)
    expect(await readFile(hostsfile(), 'utf8')).toBe(hosts)
    expect(await dnsmasqIdentity(world, NAME)).toBe(before)
  })

  it("keeps A's address live: stored file and hostsfile have it, dnsmasq's pid is the same, A keeps its lease", async () => {
    const ip = (await a.dhcp()).lease.ip
    expect(ip).toMatch(/^192\.168\.172\.(1\d\d|200)$/)
    const before = await dnsmasqIdentity(world, NAME)

    const r = expectOk(await keep(MAC_A))
    expect(r.stdout).toMatch(
      new RegExp(`added <host mac='${MAC_A}' name='alpha' ip='${ip.replace(/\./g, '\\.')}'/> live`)
    )
    const stored = await readFile(file(), 'utf8')
    expect(stored).toContain(`<host mac='${MAC_A}' name='alpha' ip='${ip}'/>`)
    expect(stored).toContain('<!-- kept by keep -->')
    expect(await readFile(hostsfile(), 'utf8')).toContain(`${MAC_A},${ip},alpha`)
    expect(await dnsmasqIdentity(world, NAME)).toBe(before)
    expect(await readFile(leasesFile(), 'utf8')).toContain(`${MAC_A} ${ip}`)

    // Keeping it again is refused by name: A has its reservation.
    const again = await keep(MAC_A)
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/already has a reservation/)
  })

  it('after A releases its lease, B asking for that address does not get it, and A gets it back', async () => {
    const ip = (await readFile(file(), 'utf8')).match(new RegExp(`mac='${MAC_A}' name='alpha' ip='([0-9.]+)'`))?.[1]
    expect(ip).toBeDefined()
    const before = await dnsmasqIdentity(world, NAME)
    await release(a)
    await expect.poll(async () => readFile(leasesFile(), 'utf8'), { timeout: 5000 }).not.toContain(MAC_A)

    // Positive control: B asking for a free address gets exactly that one.
    const free = await udhcpc(b, ['-r', '192.168.172.150'])
    expect(free.out).toMatch(/192\.168\.172\.150/)
    await expect
      .poll(async () => readFile(leasesFile(), 'utf8'), { timeout: 5000 })
      .toContain(`${MAC_B} 192.168.172.150`)
    // The kept address is A's: B asking for it gets another.
    await udhcpc(b, ['-r', ip as string])
    const leases = await readFile(leasesFile(), 'utf8')
    expect(leases).not.toContain(`${MAC_B} ${ip}`)

    expect((await a.dhcp()).lease.ip).toBe(ip)
    expect(await dnsmasqIdentity(world, NAME)).toBe(before)
  })

  it('refuses to keep a lease whose address another MAC has reserved (the reservation added behind it)', async () => {
    const ipB = (await b.dhcp()).lease.ip
    // The address B holds gets reserved for another MAC with net-update --config only: B's lease stays.
    expectOk(
      await world.guestnet([
        'net-update',
        NAME,
        'add',
        'ip-dhcp-host',
        `<host mac='52:54:00:7e:02:0d' ip='${ipB}'/>`,
        '--config'
      ])
    )
    const stored = await readFile(file(), 'utf8')
    const hosts = await readFile(hostsfile(), 'utf8')
    const before = await dnsmasqIdentity(world, NAME)
    const r = await keep(MAC_B)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      new RegExp(`${ipB.replace(/\./g, '\\.')} is already reserved for another guest: <host mac='52:54:00:7e:02:0d'`)
    )
    expect(await readFile(file(), 'utf8')).toBe(stored)
    expect(await readFile(hostsfile(), 'utf8')).toBe(hosts)
    expect(await dnsmasqIdentity(world, NAME)).toBe(before)
  })
})
