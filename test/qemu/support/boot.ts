/** Boots the test guest on a tap port of a running network's bridge in the world's host namespace. */
import { join } from 'node:path'

import type { World } from '../../netns/support/world'
import { writeInitramfs } from './initramfs'
import type { QemuGuest } from './qemu-guest'
import { startQemuGuest } from './qemu-guest'
import type { QemuReadiness } from './requirements'

export interface BootOptions {
  bridge: string
  tap: string
  mac: string
  hostname: string
  timeoutMs: number
}

/** Resolves once the guest's `/init` says READY (its lease and SLAAC steps are done, or reported as errors). */
export async function bootOnBridge(world: World, ready: QemuReadiness, o: BootOptions): Promise<QemuGuest> {
  const { files, qemu } = ready
  if (!files || !qemu) throw new Error('unreachable: no guest files')
  await world.x.ip(world.host, ['tuntap', 'add', 'dev', o.tap, 'mode', 'tap'])
  await world.x.ip(world.host, ['link', 'set', o.tap, 'master', o.bridge])
  await world.x.ip(world.host, ['link', 'set', o.tap, 'up'])
  const initrd = join(world.dir, 'initrd.cpio')
  const bytes = await writeInitramfs(files, initrd)
  console.info(
    `guest: ${files.kernelPackage}, modules ${files.modules.map((m) => m.name).join(' ')}, initramfs ${(bytes / 1024).toFixed(0)} KiB`
  )
  const guest = startQemuGuest(world.spawn, {
    ns: world.host,
    tap: o.tap,
    mac: o.mac,
    hostname: o.hostname,
    qemu,
    vmlinuz: files.vmlinuz,
    initrd
  })
  await guest.waitFor('READY', o.timeoutMs)
  const errors = guest.lines.filter((l) => l.tag === 'ERROR')
  if (errors.length > 0) console.warn(`guest reported: ${errors.map((l) => l.rest).join('; ')}`)
  return guest
}
