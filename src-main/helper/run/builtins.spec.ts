import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import type { Argv } from '../../core/model/plan'
import { GUESTNET_DEVGROUP } from '../../core/plan/devgroup'
import type { BuiltinEnv } from './builtins'
import { ForeignObjectError, isPathUnder, LedgerCorruptError, runBuiltin } from './builtins'
import type { NamespaceTagger } from '../state/namespace-tag'
import { tagOfAlias } from '../state/namespace-tag'
import { CommandError } from './exec-program'

let dir: string
let env: BuiltinEnv
let killed: Array<[string, number | null]>
let hupped: Array<[string, number]>
let ran: string[]
/** `nft -a list table` answers, by `family name`. */
let tables: Map<string, string>
const OWNER = 'guestnet:system:a'

const sysctlFile = (key: string): string => join(dir, 'proc', ...key.split('.'))
function setSysctl(key: string, value: string): void {
  mkdirSync(dirname(sysctlFile(key)), { recursive: true })
  writeFileSync(sysctlFile(key), `${value}\n`)
}
const read = (path: string): string => readFileSync(path, 'utf8').trim()

function addLink(name: string, group: number, alias: string | null): void {
  const d = join(dir, 'sys', name)
  mkdirSync(d, { recursive: true })
  writeFileSync(join(d, 'netdev_group'), `${group}\n`)
  writeFileSync(join(d, 'ifalias'), alias === null ? '\n' : `${alias}\n`)
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gn-builtins-'))
  killed = []
  hupped = []
  ran = []
  tables = new Map()
  mkdirSync(join(dir, 'run'))
  env = {
    network: 'a',
    store: 'system',
    owner: OWNER,
    bridge: 'gnbr-a',
    artifacts: { 'dnsmasq.conf': 'port=0\n' },
    allowedDirs: [join(dir, 'run'), join(dir, 'state')],
    runtimeDir: join(dir, 'run'),
    ledgerFile: join(dir, 'ledger', 'net-1.json'),
    ledgerBase: dir,
    procSys: join(dir, 'proc'),
    sysClassNet: join(dir, 'sys'),
    isLive: () => false,
    programs: {
      run: async (argv: Argv) => void ran.push(argv.join(' ')),
      output: async (argv: Argv) => {
        const key = `${argv[4]} ${argv[5]}`
        const listing = tables.get(key)
        if (listing === undefined) throw new CommandError(argv, 1, 'Error: No such file or directory')
        return listing
      }
    },
    killPidfile: async (p, t) => void killed.push([p, t]),
    hupPidfile: (p, t) => void hupped.push([p, t])
  }
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('path confinement', () => {
  it('accepts only normalised absolute paths strictly under an allowed directory', () => {
    expect(isPathUnder('/run/guestnet/a/x.conf', ['/run/guestnet'])).toBe(true)
    for (const bad of [
      '/run/guestnet',
      '/run/guestnet/',
      '/run/guestnet/../../etc/passwd',
      '/run/guestnetx/a',
      'run/guestnet/a',
      '/run/guestnet//a',
      '/run/guestnet/a\0b'
    ]) {
      expect(isPathUnder(bad, ['/run/guestnet'])).toBe(false)
    }
  })

  it('refuses to write or remove outside the network’s directories', async () => {
    await expect(runBuiltin(['@write', '/etc/passwd', 'dnsmasq.conf'], env)).rejects.toThrow(/refusing path/)
    await expect(runBuiltin(['@remove', join(dir, 'run', '..', 'x')], env)).rejects.toThrow(/refusing path/)
    await expect(runBuiltin(['@kill-dnsmasq', '/run/other.pid'], env)).rejects.toThrow(/refusing path/)
    expect(killed).toEqual([])
  })
})

describe('@write and @remove', () => {
  it('writes an artifact atomically, creating its directory, and removes it', async () => {
    const target = join(dir, 'run', 'a', 'dnsmasq.conf')
    await runBuiltin(['@write', target, 'dnsmasq.conf'], env)
    expect(readFileSync(target, 'utf8')).toBe('port=0\n')
    await runBuiltin(['@remove', target], env)
    expect(existsSync(target)).toBe(false)
    await runBuiltin(['@remove', target], env) // already gone: fine
  })

  it('refuses an artifact the plan does not have, and wrong arity', async () => {
    await expect(runBuiltin(['@write', join(dir, 'run', 'x'), 'nope'], env)).rejects.toThrow(/no artifact 'nope'/)
    await expect(runBuiltin(['@remove'], env)).rejects.toThrow(/takes 1 argument/)
    await expect(runBuiltin(['@format-disk', '/dev/sda'], env)).rejects.toThrow(/unknown built-in/)
  })
})

describe('@sysctl and @sysctl-restore: one ledger per namespace, live owners counted', () => {
  const FWD = 'net.ipv4.ip_forward'

  it('turns forwarding on and back off when the only owner leaves (positive control)', async () => {
    setSysctl(FWD, '0')
    await runBuiltin(['@sysctl', FWD, '1'], env)
    expect(read(sysctlFile(FWD))).toBe('1')
    await runBuiltin(['@sysctl-restore', FWD], env)
    expect(read(sysctlFile(FWD))).toBe('0')
    expect(existsSync(env.ledgerFile)).toBe(false)
  })

  it('@sysctl-reassert writes the value again for its holder, keeping the original the stop puts back', async () => {
    setSysctl(FWD, '0')
    await runBuiltin(['@sysctl', FWD, '1'], env)
    // sysctl --system, say.
    setSysctl(FWD, '0')
    await runBuiltin(['@sysctl-reassert', FWD, '1'], env)
    expect(read(sysctlFile(FWD))).toBe('1')
    await runBuiltin(['@sysctl-restore', FWD], env)
    expect(read(sysctlFile(FWD))).toBe('0')
  })

  it('@sysctl-reassert refuses a network that does not hold the key at that value (nothing written)', async () => {
    setSysctl(FWD, '0')
    await expect(runBuiltin(['@sysctl-reassert', FWD, '1'], env)).rejects.toThrow(/does not hold/)
    expect(read(sysctlFile(FWD))).toBe('0')
    await runBuiltin(['@sysctl', FWD, '1'], env)
    setSysctl(FWD, '0')
    await expect(
      runBuiltin(['@sysctl-reassert', FWD, '1'], { ...env, network: 'other', bridge: 'gnbr-o' })
    ).rejects.toThrow(/does not hold/)
    await expect(runBuiltin(['@sysctl-reassert', 'kernel.core_pattern', '|/bin/sh'], env)).rejects.toThrow()
    expect(read(sysctlFile(FWD))).toBe('0')
    await runBuiltin(['@sysctl-restore', FWD], env)
  })

  it("keeps forwarding on while another store's network runs in the namespace", async () => {
    setSysctl(FWD, '0')
    const other: BuiltinEnv = { ...env, store: 'root-0123456789ab', network: 'a', bridge: 'gnbr-b' }
    await runBuiltin(['@sysctl', FWD, '1'], env)
    await runBuiltin(['@sysctl', FWD, '1'], other)
    // B's network still runs (its bridge is there with its mark): A's stop leaves forwarding on.
    const live = { ...env, isLive: (o: { store: string }) => o.store === other.store }
    await runBuiltin(['@sysctl-restore', FWD], live)
    expect(read(sysctlFile(FWD))).toBe('1')
    await runBuiltin(['@sysctl-restore', FWD], other)
    expect(read(sysctlFile(FWD))).toBe('0')
  })

  it('an owner whose bridge is gone (a crash) does not keep the value up', async () => {
    setSysctl(FWD, '0')
    await runBuiltin(['@sysctl', FWD, '1'], env)
    await runBuiltin(['@sysctl', FWD, '1'], { ...env, network: 'crashed', bridge: 'gnbr-c' })
    await runBuiltin(['@sysctl-restore', FWD], env)
    expect(read(sysctlFile(FWD))).toBe('0')
  })

  it('leaves forwarding on if it was on before guestnet, and an admin’s later change stands', async () => {
    setSysctl(FWD, '1')
    await runBuiltin(['@sysctl', FWD, '1'], env)
    await runBuiltin(['@sysctl-restore', FWD], env)
    expect(read(sysctlFile(FWD))).toBe('1')
  })

  it('records the change before making it (a crash in between can be undone)', async () => {
    setSysctl(FWD, '0')
    await runBuiltin(['@sysctl', FWD, '1'], env)
    expect(JSON.parse(readFileSync(env.ledgerFile, 'utf8')).entries[FWD]).toEqual({
      original: '0',
      value: '1',
      owners: [{ store: 'system', network: 'a', bridge: 'gnbr-a' }]
    })
  })

  it('never reads a corrupt ledger as empty: it refuses, and the sysctl is left alone', async () => {
    setSysctl(FWD, '0')
    mkdirSync(dirname(env.ledgerFile), { recursive: true })
    writeFileSync(env.ledgerFile, '{ not json')
    await expect(runBuiltin(['@sysctl', FWD, '1'], env)).rejects.toThrow(LedgerCorruptError)
    await expect(runBuiltin(['@sysctl-restore', FWD], env)).rejects.toThrow(/run guestnet reconcile/)
    expect(read(sysctlFile(FWD))).toBe('0')
    expect(readFileSync(env.ledgerFile, 'utf8')).toBe('{ not json')
  })

  describe('a ledger left by a namespace that is gone (its inode reused)', () => {
    function tagger(alias: { value: string }): NamespaceTagger {
      return {
        read: () => tagOfAlias(alias.value),
        tag: () => (alias.value = `guestnet-ns:${'a'.repeat(32)}`)
      }
    }
    const DEAD = JSON.stringify({
      version: 2,
      namespace: `guestnet-ns:${'d'.repeat(32)}`,
      entries: { [FWD]: { original: '1', value: '1', owners: [{ store: 'system', network: 'x', bridge: 'gnx' }] } }
    })

    it("is not this namespace's: an untagged namespace is tagged, and its own original recorded", async () => {
      setSysctl(FWD, '1')
      mkdirSync(dirname(env.ledgerFile), { recursive: true })
      writeFileSync(env.ledgerFile, DEAD)
      const alias = { value: '' }
      const here = { ...env, namespace: tagger(alias), isLive: () => true }
      await runBuiltin(['@sysctl', FWD, '1'], here)
      expect(alias.value).toMatch(/^guestnet-ns:a{32}$/)
      const written = JSON.parse(readFileSync(env.ledgerFile, 'utf8'))
      expect(written.namespace).toBe(alias.value)
      expect(written.entries[FWD].owners).toEqual([{ store: 'system', network: 'a', bridge: 'gnbr-a' }])
      // A garbled ledger of a dead namespace does not block this one either.
      writeFileSync(env.ledgerFile, '{ not json')
      alias.value = ''
      await runBuiltin(['@sysctl', FWD, '1'], { ...here, namespace: tagger(alias) })
      expect(JSON.parse(readFileSync(env.ledgerFile, 'utf8')).namespace).toBe(alias.value)
    })

    it('positive control: a ledger with this namespace’s tag is read, its other owners kept', async () => {
      setSysctl(FWD, '1')
      mkdirSync(dirname(env.ledgerFile), { recursive: true })
      const alias = { value: `guestnet-ns:${'d'.repeat(32)}` }
      writeFileSync(env.ledgerFile, DEAD)
      await runBuiltin(['@sysctl', FWD, '1'], { ...env, namespace: tagger(alias), isLive: () => true })
      const owners = JSON.parse(readFileSync(env.ledgerFile, 'utf8')).entries[FWD].owners
      expect(owners.map((o: { network: string }) => o.network)).toEqual(['x', 'a'])
      expect(alias.value).toBe(`guestnet-ns:${'d'.repeat(32)}`)
    })

    it("a loopback alias that is not guestnet's is left as it is", async () => {
      setSysctl(FWD, '0')
      const alias = { value: 'set by the admin' }
      await runBuiltin(['@sysctl', FWD, '1'], { ...env, namespace: tagger(alias) })
      expect(alias.value).toBe('set by the admin')
      expect(JSON.parse(readFileSync(env.ledgerFile, 'utf8')).namespace).toBeNull()
    })
  })

  it('refuses keys outside guestnet’s rules, odd values and a sysctl that does not exist', async () => {
    setSysctl(FWD, '0')
    for (const key of ['kernel.core_pattern', 'net.core.somaxconn', 'net/ipv4/../../kernel/core_pattern']) {
      await expect(runBuiltin(['@sysctl', key, '1'], env), key).rejects.toThrow(/refusing sysctl/)
    }
    await expect(runBuiltin(['@sysctl', FWD, '1\nkernel.x=1'], env)).rejects.toThrow(/only 0, 1 or 2/)
    await expect(runBuiltin(['@sysctl', 'net.ipv6.conf.nope0.accept_ra', '2'], env)).rejects.toThrow(/does not exist/)
  })

  it("@sysctl-bridge sets only the network's own bridge's switches", async () => {
    setSysctl('net.ipv6.conf.gnbr-a.disable_ipv6', '1')
    await runBuiltin(['@sysctl-bridge', 'net.ipv6.conf.gnbr-a.disable_ipv6', '0'], env)
    expect(read(sysctlFile('net.ipv6.conf.gnbr-a.disable_ipv6'))).toBe('0')
    await expect(runBuiltin(['@sysctl-bridge', 'net.ipv6.conf.eth0.disable_ipv6', '1'], env)).rejects.toThrow(
      /own bridge/
    )
  })
})

describe('@delete-bridge: only this network’s bridge, by group and owner mark', () => {
  it('deletes the bridge it made (positive control), and is done when it is gone', async () => {
    addLink('gnbr-a', GUESTNET_DEVGROUP, OWNER)
    await runBuiltin(['@delete-bridge', 'gnbr-a'], env)
    expect(ran).toEqual(['ip link del gnbr-a'])
    rmSync(join(dir, 'sys', 'gnbr-a'), { recursive: true })
    await runBuiltin(['@delete-bridge', 'gnbr-a'], env)
    expect(ran).toEqual(['ip link del gnbr-a'])
  })

  it("refuses another store's bridge, a foreign one, and another name", async () => {
    addLink('gnbr-a', GUESTNET_DEVGROUP, 'guestnet:root-0123456789ab:a')
    await expect(runBuiltin(['@delete-bridge', 'gnbr-a'], env)).rejects.toThrow(/--root store root-0123456789ab/)
    addLink('gnbr-a', 0, null)
    await expect(runBuiltin(['@delete-bridge', 'gnbr-a'], env)).rejects.toThrow(ForeignObjectError)
    await expect(runBuiltin(['@delete-bridge', 'eth0'], env)).rejects.toThrow(/network a's bridge is gnbr-a/)
    expect(ran).toEqual([])
  })
})

describe('@delete-vxlan: only a VXLAN port of this network, by its name, group and owner mark', () => {
  it('deletes the port it made (positive control), and is done when it is gone', async () => {
    addLink('gnvx4242', GUESTNET_DEVGROUP, OWNER)
    await runBuiltin(['@delete-vxlan', 'gnvx4242'], env)
    expect(ran).toEqual(['ip link del gnvx4242'])
    rmSync(join(dir, 'sys', 'gnvx4242'), { recursive: true })
    await runBuiltin(['@delete-vxlan', 'gnvx4242'], env)
    expect(ran).toEqual(['ip link del gnvx4242'])
  })

  it("refuses another network's port, a foreign link and names that are no VXLAN port of guestnet's", async () => {
    addLink('gnvx4242', GUESTNET_DEVGROUP, 'guestnet:system:other')
    await expect(runBuiltin(['@delete-vxlan', 'gnvx4242'], env)).rejects.toThrow(ForeignObjectError)
    addLink('gnvx4242', 0, null)
    await expect(runBuiltin(['@delete-vxlan', 'gnvx4242'], env)).rejects.toThrow(/not in guestnet's interface group/)
    for (const name of ['eth0', 'gnbr-a', 'gnvx0', 'gnvx1/../x']) {
      await expect(runBuiltin(['@delete-vxlan', name], env), name).rejects.toThrow(/not a VXLAN port/)
    }
    expect(ran).toEqual([])
  })
})

describe('@delete-table: only this network’s table, by name and comment, deleted by handle', () => {
  it('deletes its own table by the handle it checked (positive control)', async () => {
    tables.set('inet guestnet_a', `table inet guestnet_a { # handle 7\n\tcomment "${OWNER}"\n}\n`)
    await runBuiltin(['@delete-table', 'inet', 'guestnet_a'], env)
    expect(ran).toEqual(['nft delete table inet handle 7'])
    await runBuiltin(['@delete-table', 'bridge', 'guestnet_a'], env) // not there: done
    expect(ran).toHaveLength(1)
  })

  it("refuses another store's table of the same name and any other table name", async () => {
    tables.set('inet guestnet_a', 'table inet guestnet_a { # handle 7\n\tcomment "guestnet:root-0123456789ab:a"\n}\n')
    await expect(runBuiltin(['@delete-table', 'inet', 'guestnet_a'], env)).rejects.toThrow(/another guestnet store/)
    await expect(runBuiltin(['@delete-table', 'inet', 'libvirt_network'], env)).rejects.toThrow(ForeignObjectError)
    await expect(runBuiltin(['@delete-table', 'ip', 'guestnet_a'], env)).rejects.toThrow(ForeignObjectError)
    expect(ran).toEqual([])
  })
})

describe('@kill-dnsmasq', () => {
  it("hands this network's pid file (and the recorded start time) to the killer", async () => {
    const pidfile = join(dir, 'run', 'a', 'dnsmasq.pid')
    await runBuiltin(['@kill-dnsmasq', pidfile, '1234'], env)
    await runBuiltin(['@kill-dnsmasq', pidfile], env)
    expect(killed).toEqual([
      [pidfile, 1234],
      [pidfile, null]
    ])
  })

  it("refuses another network's pid file", async () => {
    await expect(runBuiltin(['@kill-dnsmasq', join(dir, 'run', 'b', 'dnsmasq.pid')], env)).rejects.toThrow(
      /not network a's dnsmasq pid file/
    )
    expect(killed).toEqual([])
  })
})

describe('@hup-dnsmasq', () => {
  it("hands this network's pid file and the recorded start time to the signaller", async () => {
    const pidfile = join(dir, 'run', 'a', 'dnsmasq.pid')
    await runBuiltin(['@hup-dnsmasq', pidfile, '1234'], env)
    expect(hupped).toEqual([[pidfile, 1234]])
  })

  it("refuses another network's pid file, a path outside the store and a missing or bad start time", async () => {
    await expect(runBuiltin(['@hup-dnsmasq', join(dir, 'run', 'b', 'dnsmasq.pid'), '1'], env)).rejects.toThrow(
      /not network a's dnsmasq pid file/
    )
    await expect(runBuiltin(['@hup-dnsmasq', '/run/other.pid', '1'], env)).rejects.toThrow(/refusing path/)
    const pidfile = join(dir, 'run', 'a', 'dnsmasq.pid')
    await expect(runBuiltin(['@hup-dnsmasq', pidfile], env)).rejects.toThrow(/takes 2 argument/)
    await expect(runBuiltin(['@hup-dnsmasq', pidfile, '0'], env)).rejects.toThrow(/bad start time/)
    await expect(runBuiltin(['@hup-dnsmasq', pidfile, '12x'], env)).rejects.toThrow(/bad start time/)
    expect(hupped).toEqual([])
  })
})

describe('@firewalld-zone / @firewalld-unzone', () => {
  it("refuses another interface than the network's bridge, before any call", async () => {
    await expect(runBuiltin(['@firewalld-zone', 'eth0', 'trusted'], env)).rejects.toThrow(ForeignObjectError)
    await expect(runBuiltin(['@firewalld-unzone', 'virbr9', 'trusted'], env)).rejects.toThrow(ForeignObjectError)
    expect(ran).toEqual([])
  })

  it("puts the network's own bridge in the zone", async () => {
    await runBuiltin(['@firewalld-zone', 'gnbr-a', 'trusted'], env)
    expect(ran).toHaveLength(1)
    expect(ran[0]).toMatch(/^dbus-send .*zone\.changeZoneOfInterface string:trusted string:gnbr-a$/)
  })
})

describe('@isolate-ports', () => {
  it("sets the kernel's isolation flag on every port of the network's own bridge", async () => {
    const listing = JSON.stringify([{ ifname: 'vnet0' }, { ifname: 'vnet1' }, { ifname: 'bad name' }])
    env.programs.output = async () => listing
    await runBuiltin(['@isolate-ports', 'gnbr-a'], env)
    expect(ran).toEqual(['bridge link set dev vnet0 isolated on', 'bridge link set dev vnet1 isolated on'])
  })

  it("refuses another bridge's ports", async () => {
    await expect(runBuiltin(['@isolate-ports', 'docker0'], env)).rejects.toThrow(ForeignObjectError)
    expect(ran).toEqual([])
  })
})
