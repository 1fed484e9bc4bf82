/**
 * Netboot (PXE) on a guestnet network: `<tftp root>` and `<bootp file>` give a real guest (busybox
 * udhcpc) the boot file name and next server in its lease, and the guest fetches the file over TFTP
 * (busybox tftp) from dnsmasq. A file only root may read is not served. A TFTP root that does not
 * exist is refused before anything changes, naming the field.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectOk } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns netboot tests skipped: ${skip}`)

const NAME = 'pxe'
const BRIDGE = 'gnpxe0'
const GATEWAY = '192.168.180.1'
const xml = (root: string): string => `<network>
  <name>${NAME}</name>
  <forward mode='nat'/>
  <bridge name='${BRIDGE}'/>
  <ip address='${GATEWAY}' prefix='24'>
    <tftp root='${root}'/>
    <dhcp>
      <range start='192.168.180.100' end='192.168.180.200'/>
      <bootp file='pxelinux.0'/>
    </dhcp>
  </ip>
</network>
`

describe.skipIf(skip !== null)(`netboot: TFTP and BOOTP${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let tftpRoot: string
  let guest: Guest

  const fetch = async (file: string): Promise<{ ok: boolean; text: string }> => {
    const out = join(world.dir, `fetched-${file}`)
    const r = await world.x.inNs(guest.ns, ['busybox', 'tftp', '-g', '-r', file, '-l', out, GATEWAY], {
      allowFail: true,
      timeoutMs: 15_000
    })
    return { ok: r.code === 0, text: r.code === 0 ? await readFile(out, 'utf8') : r.stderr }
  }

  beforeAll(async () => {
    world = await createWorld()
    // dnsmasq serves the root after dropping root: the private temp dir must be enterable.
    await chmod(world.dir, 0o755)
    tftpRoot = join(world.dir, 'tftp')
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NAME])
    await world?.dispose()
  })

  it('refuses a TFTP root that does not exist, naming the field, and changes nothing', async () => {
    const file = join(world.dir, `${NAME}.xml`)
    await writeFile(file, xml(tftpRoot))
    expectOk(await world.guestnet(['net-define', file]))
    const start = await world.guestnet(['net-start', NAME])
    expect(start.code).toBe(2)
    expect(start.stderr).toContain(`${tftpRoot} does not exist`)
    expect(start.stderr).toContain('ip[0].tftp.root')
    const links = await world.x.ip(world.host, ['-o', 'link', 'show'])
    expect(links.stdout).not.toContain(BRIDGE)
  })

  it('hands the boot file and next server to a guest, which fetches the file over TFTP', async () => {
    await mkdir(tftpRoot, { mode: 0o755 })
    await writeFile(join(tftpRoot, 'pxelinux.0'), 'guestnet boot image\n', { mode: 0o644 })
    await writeFile(join(tftpRoot, 'secret.cfg'), 'root only\n', { mode: 0o600 })
    expectOk(await world.guestnet(['net-start', NAME]))
    guest = await world.addGuest({ bridge: BRIDGE, name: 'pxeguest' })
    const { lease } = await guest.dhcp()
    expect(lease.bootFile).toBe('pxelinux.0')
    expect(lease.nextServer).toBe(GATEWAY)
    expect(await fetch('pxelinux.0')).toEqual({ ok: true, text: 'guestnet boot image\n' })
  })

  it('does not serve a file only root can read, nor anything outside the root', async () => {
    expect((await fetch('secret.cfg')).ok).toBe(false)
    expect((await fetch('../pxe.xml')).ok).toBe(false)
  })
})
