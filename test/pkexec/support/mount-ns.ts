/**
 * The suite's own mount namespace, kept alive by a bind-mounted nsfs file (`unshare --mount=FILE`), in
 * which guestnet's system store (/etc/guestnet, /var/lib/guestnet, /run/guestnet) is three empty tmpfs
 * mounts (private-store.sh). Every command of the test that touches the store, pkexec's runs included,
 * enters it with `nsenter --mount=FILE`; the machine's own store is never touched. The system bus socket
 * and /run/netns are bound in, so pkexec reaches polkitd and `ip netns exec` finds our namespaces
 * (those that existed when it was made: create the network namespaces first).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { runSync } from './exec'
import { STORE_DIRS } from './paths'
import { runDir } from './run-dir'
import { onUndo } from './undo'

const SCRIPT = fileURLToPath(new URL('./private-store.sh', import.meta.url))

export interface MountNamespace {
  /** The nsfs file that holds the namespace. */
  file: string
  /** This run's temp dir (the file is inside it). */
  dir: string
  /** `nsenter --mount=FILE -- …argv`. */
  enter(argv: readonly string[]): string[]
}

function mounted(path: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === path)
}

/** `unshare --mount=FILE` needs FILE on a private mount; on a shared one (systemd's /), make the dir one. */
function privateParent(dir: string): void {
  const propagation = runSync(['findmnt', '-n', '-o', 'PROPAGATION', '--target', dir]).stdout.trim()
  if (propagation === 'private') return
  runSync(['mount', '--bind', dir, dir])
  onUndo(`umount ${dir}`, () => runSync(['umount', dir]))
  runSync(['mount', '--make-private', dir])
}

export function createMountNamespace(): MountNamespace {
  const dir = runDir()
  privateParent(dir)
  const file = join(dir, 'mnt-ns')
  writeFileSync(file, '')
  runSync(['unshare', `--mount=${file}`, '--propagation', 'private', 'true'])
  onUndo(`release the mount namespace ${file}`, () => {
    if (mounted(file)) runSync(['umount', file])
  })
  const enter = (argv: readonly string[]): string[] => ['nsenter', `--mount=${file}`, '--', ...argv]
  const stage = join(dir, 'stage')
  mkdirSync(stage)
  runSync(enter(['sh', SCRIPT, stage]))
  for (const store of STORE_DIRS) {
    const fstype = runSync(enter(['findmnt', '-n', '-o', 'FSTYPE', '--mountpoint', store])).stdout.trim()
    if (fstype !== 'tmpfs') throw new Error(`${store} is not a tmpfs inside the test's mount namespace`)
  }
  return { file, dir, enter }
}

/** Whether the mount namespace's file is still mounted (false after the undo ran). */
export function mountNamespaceHeld(ns: MountNamespace): boolean {
  return mounted(ns.file)
}
