/**
 * `net-update` on a running network, with real dnsmasq and busybox udhcpc guests: a reservation
 * added, modified and deleted live reaches the guest at its next request while dnsmasq keeps its pid
 * (it re-read its hostsfile on SIGHUP, no restart) and another guest keeps its lease; the stored file
 * changes with its comments kept; refusals leave the file, the hostsfile and dnsmasq as they were;
 * `net-dhcp-leases --keep` is in keep-lease.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Guest } from './support/guest'
import { expectOk } from './support/guestnet-cli'
import { defineXml, dnsmasqIdentity } from './support/networks'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns net-update tests skipped: ${skip}`)

const NAME = 'upd'
const BRIDGE = 'gnupd0'
const MAC_A = '52:54:00:7e:01:0a'
const MAC_B = '52:54:00:7e:01:0b'
const MAC_C = '52:54:00:7e:01:0c'
const XML = `<network>
  <name>${NAME}</name>
  <!-- the admin's note: keep this -->
  <forward mode='nat'/>
  <bridge name='${BRIDGE}'/>
  <ip address='192.168.171.1' prefix='24'>
    <dhcp>
      <range start='192.168.171.100' end='192.168.171.200'/>
    </dhcp>
  </ip>
</network>
`
const IN_RANGE = /^192\.168\.171\.(1\d\d|200)$/

describe.skipIf(skip !== null)(`net-update, live${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let a: Guest
  let b: Guest
  const file = (): string => join(world.root, 'etc', 'guestnet', 'networks', `${NAME}.xml`)
  const hostsfile = (): string => join(world.root, 'run', 'guestnet', NAME, 'hostsfile')

  function update(...args: string[]): ReturnType<World['guestnet']> {
    return world.guestnet(['net-update', NAME, ...args])
  }

  beforeAll(async () => {
    world = await createWorld()
    // dnsmasq re-reads its hostsfile after dropping root: it must be able to enter the test's directory
    // (reservations.test.ts shows what happens otherwise).
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

  it('adds a reservation live: the guest gets it at its next request, dnsmasq keeps its pid, the other guest its lease', async () => {
    const first = (await a.dhcp()).lease.ip
    const other = (await b.dhcp()).lease.ip
    expect(first).toMatch(IN_RANGE)
    const before = await dnsmasqIdentity(world, NAME)

    const r = expectOk(await update('add', 'ip-dhcp-host', `<host mac='${MAC_A}' ip='192.168.171.50' name='fixed'/>`))
    expect(r.stdout).toMatch(
      /added <host mac='52:54:00:7e:01:0a' name='fixed' ip='192.168.171.50'\/> live .* and in the stored definition/
    )
    expect(await readFile(hostsfile(), 'utf8')).toBe(`${MAC_A},192.168.171.50,fixed\n`)
    const stored = await readFile(file(), 'utf8')
    expect(stored).toContain(`<host mac='${MAC_A}' name='fixed' ip='192.168.171.50'/>`)
    expect(stored).toContain("<!-- the admin's note: keep this -->")

    expect((await a.dhcp()).lease.ip).toBe('192.168.171.50')
    expect((await b.dhcp()).lease.ip).toBe(other)
    expect(await dnsmasqIdentity(world, NAME)).toBe(before)
  })

  it('modifies it live: the guest moves to the new address, same dnsmasq', async () => {
    const before = await dnsmasqIdentity(world, NAME)
    expectOk(await update('modify', 'ip-dhcp-host', `<host mac='${MAC_A}' ip='192.168.171.60' name='fixed'/>`))
    expect((await a.dhcp()).lease.ip).toBe('192.168.171.60')
    expect(await dnsmasqIdentity(world, NAME)).toBe(before)
  })

  it('refuses a duplicate, a range change live and a foreign address, leaving file, hostsfile and dnsmasq as they were', async () => {
    const stored = await readFile(file(), 'utf8')
    const hosts = await readFile(hostsfile(), 'utf8')
    const before = await dnsmasqIdentity(world, NAME)

    const dup = await update('add', 'ip-dhcp-host', `<host mac='${MAC_A}' ip='192.168.171.70' name='again'/>`)
    expect(dup.code).toBe(2)
    expect(dup.stderr).toMatch(/existing dhcp host entry .*mac/)

    const outside = await update('add', 'ip-dhcp-host', `<host mac='${MAC_C}' ip='10.9.9.9'/>`)
    expect(outside.code).toBe(2)
    expect(outside.stderr).toMatch(/ip\[0\]\.dhcp\.host\[1\]\.ip/)
    expect(outside.stderr).toMatch(/192\.168\.171\.0\/24/)

    // A new range changes dnsmasq.conf: SIGHUP cannot carry it, so the live part is refused whole.
    const range = await update('add', 'ip-dhcp-range', "<range start='192.168.171.20' end='192.168.171.30'/>")
    expect(range.code).toBe(1)
    expect(range.stderr).toMatch(/cannot take this change live/)
    expect(range.stderr).toMatch(/--config/)

    expect(await readFile(file(), 'utf8')).toBe(stored)
    expect(await readFile(hostsfile(), 'utf8')).toBe(hosts)
    expect(await dnsmasqIdentity(world, NAME)).toBe(before)
    expect((await a.dhcp()).lease.ip).toBe('192.168.171.60')
  })

  it('signals no process but the recorded dnsmasq: a pid file naming another process is refused, that process untouched', async () => {
    const pidfile = join(world.root, 'run', 'guestnet', NAME, 'dnsmasq.pid')
    const realPid = await readFile(pidfile, 'utf8')
    const stored = await readFile(file(), 'utf8')
    const hosts = await readFile(hostsfile(), 'utf8')
    // SIGHUP's default action ends a process: had the helper signalled the sleeper, it would be gone.
    const sleeper = world.spawn(['ip', 'netns', 'exec', world.host, 'sleep', '60'])
    await new Promise((r) => setTimeout(r, 200))
    const pid = sleeper.pid as number
    const alive = (): boolean =>
      existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, 'latin1') !== ''
    try {
      expect(alive()).toBe(true)
      await writeFile(pidfile, `${pid}\n`)
      const r = await update('add', 'ip-dhcp-host', `<host mac='${MAC_C}' ip='192.168.171.80'/>`)
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/recorded dnsmasq is not running .*not the dnsmasq of/)
      await new Promise((r) => setTimeout(r, 100))
      expect(alive()).toBe(true)
      expect(await readFile(file(), 'utf8')).toBe(stored)
      expect(await readFile(hostsfile(), 'utf8')).toBe(hosts)
    } finally {
      await writeFile(pidfile, realPid)
      sleeper.kill('SIGKILL')
    }
    // Positive control: with the real pid file back the same update goes live.
    expectOk(await update('add', 'ip-dhcp-host', `<host mac='${MAC_C}' ip='192.168.171.80'/>`))
    expect(await readFile(hostsfile(), 'utf8')).toContain(`${MAC_C},192.168.171.80`)
    expectOk(await update('delete', 'ip-dhcp-host', `<host mac='${MAC_C}'/>`))
  })

  it('deletes it live: the guest goes back to the pool', async () => {
    const before = await dnsmasqIdentity(world, NAME)
    expectOk(await update('delete', 'ip-dhcp-host', `<host mac='${MAC_A}'/>`))
    expect(await readFile(hostsfile(), 'utf8')).toBe('')
    expect(await readFile(file(), 'utf8')).not.toContain(MAC_A)
    expect((await a.dhcp()).lease.ip).toMatch(IN_RANGE)
    expect(await dnsmasqIdentity(world, NAME)).toBe(before)
  })

  it('--config alone changes only the file; --live on a stopped network is refused with the fix', async () => {
    const hosts = await readFile(hostsfile(), 'utf8')
    expectOk(
      await update('add', 'dns-host', "<host ip='192.168.171.5'><hostname>printer</hostname></host>", '--config')
    )
    expect(await readFile(file(), 'utf8')).toContain('<hostname>printer</hostname>')
    expect(await readFile(hostsfile(), 'utf8')).toBe(hosts)
    expectOk(await world.guestnet(['net-destroy', NAME]))
    const live = await update('add', 'ip-dhcp-host', `<host mac='${MAC_C}' ip='192.168.171.80'/>`, '--live')
    expect(live.code).toBe(1)
    expect(live.stderr).toMatch(/is not running, so --live has nothing to change/)
    expect(live.stderr).toMatch(/leave out --live/)
    expect(await readFile(file(), 'utf8')).not.toContain(MAC_C)
    // Neither flag on a stopped network: the file only.
    const stopped = expectOk(
      await update('delete', 'dns-host', "<host ip='192.168.171.5'><hostname>printer</hostname></host>")
    )
    expect(stopped.stdout).toMatch(/in the stored definition$/m)
    expectOk(await world.guestnet(['net-start', NAME]))
  })
})
