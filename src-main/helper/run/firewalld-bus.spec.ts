import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { beforeEach, describe, expect, it } from 'vitest'

import type { Argv } from '../../core/model/plan'
import type { ProgramRunner } from './builtins'
import { firewalldZones, putInZone, replyStrings, replyTrue, takeOutOfZone } from './firewalld-bus'

/** dbus-send answers as it prints them. */
const strings = (...values: string[]): string =>
  `method return time=1 sender=:1.2 -> destination=:1.3 serial=4 reply_serial=2\n   array [\n${values
    .map((v) => `      string "${v}"`)
    .join('\n')}\n   ]\n`
const boolean = (v: boolean): string => `method return time=1 sender=:1.2\n   boolean ${v}\n`

let ran: string[]
let socket: string
let owner: boolean
let zoneOf: string
/** The network namespace firewalld runs in. */
let firewalldNs: string
const FIREWALLD_PID = 4242
const probe = () => ({
  busSocket: socket,
  netnsOf: (pid: number | 'self') => (pid === 'self' ? 'net:[1]' : pid === FIREWALLD_PID ? firewalldNs : null)
})

function fake(): ProgramRunner {
  return {
    run: async (argv: Argv) => void ran.push(argv.slice(6).join(' ')),
    output: async (argv: Argv) => {
      const method = argv[6]
      ran.push(argv.slice(6).join(' '))
      if (method.endsWith('NameHasOwner')) return boolean(owner)
      if (method.endsWith('GetConnectionUnixProcessID')) return `method return\n   uint32 ${FIREWALLD_PID}\n`
      if (method.endsWith('getZones')) return strings('public', 'trusted', 'bad zone')
      if (method.endsWith('getZoneOfInterface')) return strings(zoneOf)
      throw new Error(`unexpected ${method}`)
    }
  }
}

beforeEach(() => {
  ran = []
  owner = true
  zoneOf = 'trusted'
  firewalldNs = 'net:[1]'
  socket = join(mkdtempSync(join(tmpdir(), 'gn-fwbus-')), 'system_bus_socket')
  writeFileSync(socket, '')
})

describe('dbus-send replies', () => {
  it('reads string values and booleans', () => {
    expect(replyStrings(strings('a', 'b-c'))).toEqual(['a', 'b-c'])
    expect(replyStrings('method return\n   string ""\n')).toEqual([''])
    expect(replyTrue(boolean(true))).toBe(true)
    expect(replyTrue(boolean(false))).toBe(false)
  })
})

describe('firewalldZones', () => {
  it('lists the runtime zones, dropping what is not a zone name', async () => {
    expect(await firewalldZones(fake(), probe())).toEqual(['public', 'trusted'])
  })

  it('no system bus socket: firewalld does not run, nothing is asked', async () => {
    expect(await firewalldZones(fake(), { ...probe(), busSocket: join(socket, '..', 'none') })).toBeNull()
    expect(ran).toEqual([])
  })

  it('nobody owns the name: not running, and it is never activated (no zone call)', async () => {
    owner = false
    expect(await firewalldZones(fake(), probe())).toBeNull()
    expect(ran).toEqual(['org.freedesktop.DBus.NameHasOwner string:org.fedoraproject.FirewallD1'])
  })

  it("a firewalld in another network namespace (the machine's, seen from a test's) does not count", async () => {
    firewalldNs = 'net:[2]'
    expect(await firewalldZones(fake(), probe())).toBeNull()
    expect(ran.some((c) => c.includes('getZones'))).toBe(false)
    await takeOutOfZone(fake(), 'virbr0', 'trusted', probe())
    expect(ran.some((c) => c.includes('removeInterface') || c.includes('getZoneOfInterface'))).toBe(false)
  })
})

describe('zone changes', () => {
  it('puts a bridge in a zone with one call', async () => {
    await putInZone(fake(), 'virbr0', 'trusted')
    expect(ran).toEqual(['org.fedoraproject.FirewallD1.zone.changeZoneOfInterface string:trusted string:virbr0'])
  })

  it('refuses names that are not interface or zone names before any call', async () => {
    await expect(putInZone(fake(), 'virbr0', 'a,b')).rejects.toThrow(/not a firewalld zone name/)
    await expect(putInZone(fake(), 'bad/name', 'trusted')).rejects.toThrow(/not an interface name/)
    expect(ran).toEqual([])
  })

  it('takes the bridge out only of the zone it is still in', async () => {
    await takeOutOfZone(fake(), 'virbr0', 'trusted', probe())
    expect(ran.at(-1)).toBe('org.fedoraproject.FirewallD1.zone.removeInterface string:trusted string:virbr0')
    ran = []
    zoneOf = 'work'
    await takeOutOfZone(fake(), 'virbr0', 'trusted', probe())
    expect(ran.some((c) => c.includes('removeInterface'))).toBe(false)
  })
})
