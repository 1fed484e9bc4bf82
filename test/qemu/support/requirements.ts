/** Why the QEMU guest test cannot run here (what the namespace tests need, plus qemu, /dev/net/tun, the guest files), or null. */
import { existsSync } from 'node:fs'

import { cliSkipReason, findProgram } from '../../netns/support/requirements'
import type { GuestFiles } from './guest-files'
import { cacheDir, guestFiles } from './guest-files'

export const QEMU = 'qemu-system-x86_64'

export interface QemuReadiness {
  skip: string | null
  qemu?: string
  files?: GuestFiles
}

/** Checks, then fetches the guest files into the cache when they are not there yet. */
export async function qemuReadiness(): Promise<QemuReadiness> {
  const base = cliSkipReason()
  if (base) return { skip: base }
  const qemu = findProgram(QEMU)
  if (!qemu) return { skip: `${QEMU} is missing (apt-get install --no-install-recommends qemu-system-x86)` }
  if (!existsSync('/dev/net/tun')) return { skip: 'no /dev/net/tun: the kernel has no TUN/TAP (modprobe tun)' }
  try {
    return { skip: null, qemu, files: await guestFiles() }
  } catch (error) {
    return {
      skip:
        `no guest kernel/busybox in ${cacheDir()} and fetching them from Debian's archive failed ` +
        `(needs apt-get and current lists: apt-get update): ${(error as Error).message.split('\n')[0]}`
    }
  }
}
