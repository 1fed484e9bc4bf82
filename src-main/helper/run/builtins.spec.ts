import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import type { BuiltinEnv } from './builtins'
import { isPathUnder, runBuiltin, sysctlPath } from './builtins'

let dir: string
let env: BuiltinEnv
let killed: string[]

function sysctlFile(key: string): string {
  return join(dir, 'proc', ...key.split('.'))
}

function setSysctl(key: string, value: string): void {
  mkdirSync(join(sysctlFile(key), '..'), { recursive: true })
  writeFileSync(sysctlFile(key), `${value}\n`)
}

const read = (p: string): string => readFileSync(p, 'utf8').trim()

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gn-builtins-'))
  killed = []
  mkdirSync(join(dir, 'run'))
  env = {
    network: 'a',
    artifacts: { 'dnsmasq.conf': 'port=0\n' },
    allowedDirs: [join(dir, 'run'), join(dir, 'state')],
    ledgerFile: join(dir, 'run', '.sysctl-ledger.json'),
    procSys: join(dir, 'proc'),
    killPidfile: async (p) => {
      killed.push(p)
    }
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
    await expect(runBuiltin(['@kill-pidfile', '/run/other.pid'], env)).rejects.toThrow(/refusing path/)
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

describe('@sysctl and @sysctl-restore', () => {
  it('turns forwarding on and back off when the only owner leaves', async () => {
    setSysctl('net.ipv4.ip_forward', '0')
    await runBuiltin(['@sysctl', 'net.ipv4.ip_forward', '1'], env)
    expect(read(sysctlFile('net.ipv4.ip_forward'))).toBe('1')
    await runBuiltin(['@sysctl-restore', 'net.ipv4.ip_forward'], env)
    expect(read(sysctlFile('net.ipv4.ip_forward'))).toBe('0')
  })

  it('keeps forwarding on while another network still runs', async () => {
    setSysctl('net.ipv4.ip_forward', '0')
    await runBuiltin(['@sysctl', 'net.ipv4.ip_forward', '1'], env)
    await runBuiltin(['@sysctl', 'net.ipv4.ip_forward', '1'], { ...env, network: 'b' })
    await runBuiltin(['@sysctl-restore', 'net.ipv4.ip_forward'], env)
    expect(read(sysctlFile('net.ipv4.ip_forward'))).toBe('1')
    await runBuiltin(['@sysctl-restore', 'net.ipv4.ip_forward'], { ...env, network: 'b' })
    expect(read(sysctlFile('net.ipv4.ip_forward'))).toBe('0')
  })

  it('leaves forwarding on if it was on before guestnet', async () => {
    setSysctl('net.ipv4.ip_forward', '1')
    await runBuiltin(['@sysctl', 'net.ipv4.ip_forward', '1'], env)
    await runBuiltin(['@sysctl-restore', 'net.ipv4.ip_forward'], env)
    expect(read(sysctlFile('net.ipv4.ip_forward'))).toBe('1')
  })

  it('records the change before making it (a crash in between can be undone)', async () => {
    setSysctl('net.ipv4.ip_forward', '0')
    await runBuiltin(['@sysctl', 'net.ipv4.ip_forward', '1'], env)
    expect(JSON.parse(readFileSync(env.ledgerFile, 'utf8')).entries['net.ipv4.ip_forward']).toEqual({
      original: '0',
      value: '1',
      owners: ['a']
    })
  })

  it('accepts the slash form for interface names with a dot', () => {
    expect(sysctlPath('/proc/sys', 'net/ipv6/conf/eth0.100/accept_ra')).toBe(
      '/proc/sys/net/ipv6/conf/eth0.100/accept_ra'
    )
  })

  it('refuses keys outside net.ipv4/net.ipv6 and path tricks', () => {
    for (const key of [
      'kernel.core_pattern',
      'net.core.somaxconn',
      'net/ipv4/../../kernel/core_pattern',
      'net.ipv4',
      'net..ipv4.x',
      'net/ipv4/conf/./x'
    ]) {
      expect(() => sysctlPath('/proc/sys', key), key).toThrow(/refusing sysctl/)
    }
  })

  it('refuses odd values and a sysctl that does not exist', async () => {
    setSysctl('net.ipv4.ip_forward', '0')
    await expect(runBuiltin(['@sysctl', 'net.ipv4.ip_forward', '1\nkernel.x=1'], env)).rejects.toThrow(
      /refusing sysctl value/
    )
    await expect(runBuiltin(['@sysctl', 'net.ipv4.nope', '1'], env)).rejects.toThrow(/does not exist/)
  })
})

describe('@kill-pidfile', () => {
  it('hands a confined pid file to the killer', async () => {
    const pidfile = join(dir, 'run', 'a', 'dnsmasq.pid')
    await runBuiltin(['@kill-pidfile', pidfile], env)
    expect(killed).toEqual([pidfile])
  })
})
