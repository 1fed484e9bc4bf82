/** The QEMU guest's support code without a guest: the cpio writer (read back by busybox cpio), module order, console lines. */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

import { findProgram } from '../netns/support/requirements'
import { cpioNewc } from './support/cpio'
import { loadOrder, moduleDepends } from './support/guest-files'
import { parseGuestLine, qemuArgv } from './support/qemu-guest'

const busybox = findProgram('busybox')

describe('cpio newc writer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gn-cpio-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const archive = cpioNewc([
    { kind: 'file', path: 'bin/busybox', data: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3]), mode: 0o755 },
    { kind: 'symlink', path: 'bin/sh', target: 'busybox' },
    { kind: 'file', path: 'init', data: '#!/bin/sh\necho hi\n', mode: 0o755 },
    { kind: 'dir', path: 'proc' },
    { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 }
  ])

  it('pads every record to 4 bytes and ends with the trailer', () => {
    expect(archive.length % 4).toBe(0)
    expect(archive.subarray(0, 6).toString('ascii')).toBe('070701')
    expect(archive.toString('latin1')).toContain('TRAILER!!!\0')
  })

  it.skipIf(!busybox)('is read back by busybox cpio: names, implied parents, modes, a device node', () => {
    const file = join(dir, 'a.cpio')
    writeFileSync(file, archive)
    const listing = execFileSync(busybox ?? 'busybox', ['cpio', '-t', '-v', '-F', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const names = listing
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
    expect(names.map((w) => w[w[0].startsWith('l') ? w.length - 3 : w.length - 1])).toEqual([
      'bin',
      'bin/busybox',
      'bin/sh',
      'init',
      'proc',
      'dev',
      'dev/console'
    ])
    expect(names.find((w) => w.includes('dev/console'))?.[0]).toBe('crw-------')
    expect(names.find((w) => w.includes('init'))?.[0]).toBe('-rwxr-xr-x')
  })

  it.skipIf(!busybox)('extracts file contents and symlinks intact', () => {
    const out = join(dir, 'x')
    const withoutDevice = cpioNewc([
      { kind: 'file', path: 'init', data: '#!/bin/sh\necho hi\n', mode: 0o755 },
      { kind: 'symlink', path: 'bin/sh', target: 'busybox' },
      { kind: 'file', path: 'odd/len', data: 'abcde' }
    ])
    const file = join(dir, 'b.cpio')
    writeFileSync(file, withoutDevice)
    execFileSync('mkdir', ['-p', out])
    execFileSync(busybox ?? 'busybox', ['cpio', '-i', '-d', '-F', file], { cwd: out, stdio: 'ignore' })
    expect(readFileSync(join(out, 'init'), 'utf8')).toBe('#!/bin/sh\necho hi\n')
    expect(statSync(join(out, 'init')).mode & 0o777).toBe(0o755)
    expect(readlinkSync(join(out, 'bin/sh'))).toBe('busybox')
    expect(readFileSync(join(out, 'odd/len'), 'utf8')).toBe('abcde')
  })

  it('refuses paths that climb out or repeat', () => {
    expect(() => cpioNewc([{ kind: 'file', path: '../etc/passwd', data: '' }])).toThrow(/bad cpio path/)
    expect(() =>
      cpioNewc([
        { kind: 'dir', path: 'a' },
        { kind: 'dir', path: 'a' }
      ])
    ).toThrow(/duplicate/)
  })
})

describe('kernel modules', () => {
  it("reads a module's depends= from its .modinfo bytes", () => {
    const ko = Buffer.concat([
      Buffer.from('\x7fELF junk\0license=GPL\0depends=virtio_ring,virtio,net-failover\0intree=Y\0')
    ])
    expect(moduleDepends(ko)).toEqual(['virtio_ring', 'virtio', 'net_failover'])
    expect(moduleDepends(Buffer.from('\0depends=\0name=x\0'))).toEqual([])
  })

  it('orders modules after their dependencies, each once', () => {
    const deps: Record<string, string[]> = {
      virtio_net: ['virtio_ring', 'virtio', 'net_failover'],
      net_failover: ['failover'],
      virtio_pci: ['virtio_ring', 'virtio'],
      virtio_ring: [],
      virtio: [],
      failover: []
    }
    const order = loadOrder(['virtio_pci', 'virtio_net'], (n) => deps[n] ?? [])
    expect(order).toEqual(['virtio_ring', 'virtio', 'virtio_pci', 'failover', 'net_failover', 'virtio_net'])
    expect(() => loadOrder(['a'], (n) => (n === 'a' ? ['b'] : ['a']))).toThrow(/cycle/)
  })
})

describe('guest console protocol', () => {
  it('parses tagged lines, also after kernel noise on the same line', () => {
    expect(parseGuestLine('GUESTNET-LEASE up=3.20 ip=192.168.122.57 mask=24 domain=', 10)).toEqual({
      tag: 'LEASE',
      rest: 'up=3.20 ip=192.168.122.57 mask=24 domain=',
      fields: { up: '3.20', ip: '192.168.122.57', mask: '24', domain: '' },
      atMs: 10
    })
    expect(parseGuestLine('[    2.1] random: crng init doneGUESTNET-READY up=5.1', 0)?.tag).toBe('READY')
    expect(parseGuestLine('run-1 cGluZw==', 0)).toBeNull()
  })

  it('runs qemu inside the namespace, on the tap, without a shell', () => {
    const argv = qemuArgv({
      ns: 'gnt-1-1h',
      tap: 'gntap0',
      mac: '52:54:00:00:00:01',
      hostname: 'g',
      qemu: '/usr/bin/qemu-system-x86_64',
      vmlinuz: '/k',
      initrd: '/i'
    })
    expect(argv.slice(0, 5)).toEqual(['ip', 'netns', 'exec', 'gnt-1-1h', '/usr/bin/qemu-system-x86_64'])
    expect(argv).toContain('tap,id=n0,ifname=gntap0,script=no,downscript=no')
    expect(argv[argv.indexOf('-append') + 1]).toContain('gn.hostname=g')
  })
})
