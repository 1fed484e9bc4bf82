/** Builds the guest's initramfs (uncompressed cpio newc): busybox, the NIC modules and the guest programs. */
import { readFile, writeFile } from 'node:fs/promises'

import type { CpioEntry } from './cpio'
import { cpioNewc } from './cpio'
import type { GuestFiles } from './guest-files'
import { INIT, LISTEN, SERVE, UDHCPC } from './guest-init'

const DIRS = ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'proc', 'sys', 'dev', 'tmp', 'run', 'etc', 'root', 'lib/modules']

export async function initramfsEntries(files: GuestFiles): Promise<CpioEntry[]> {
  const entries: CpioEntry[] = DIRS.map((path) => ({ kind: 'dir', path }))
  // The kernel opens /dev/console for init before anything is mounted.
  entries.push({ kind: 'chardev', path: 'dev/console', major: 5, minor: 1 })
  entries.push({ kind: 'file', path: 'bin/busybox', data: await readFile(files.busybox), mode: 0o755 })
  entries.push({ kind: 'symlink', path: 'bin/sh', target: 'busybox' })
  entries.push({ kind: 'file', path: 'init', data: INIT, mode: 0o755 })
  entries.push({ kind: 'file', path: 'etc/gn-udhcpc.sh', data: UDHCPC, mode: 0o755 })
  entries.push({ kind: 'file', path: 'bin/gn-listen', data: LISTEN, mode: 0o755 })
  entries.push({ kind: 'file', path: 'bin/gn-serve', data: SERVE, mode: 0o755 })
  entries.push({ kind: 'file', path: 'etc/gn-modules', data: `${files.modules.map((m) => m.name).join('\n')}\n` })
  for (const m of files.modules)
    entries.push({ kind: 'file', path: `lib/modules/${m.name}.ko`, data: await readFile(m.path) })
  return entries
}

/** Writes the initramfs to `path`; returns its size in bytes. */
export async function writeInitramfs(files: GuestFiles, path: string): Promise<number> {
  const archive = cpioNewc(await initramfsEntries(files))
  await writeFile(path, archive)
  return archive.length
}
