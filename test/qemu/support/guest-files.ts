/**
 * The files a test guest boots from: Debian's kernel (vmlinuz and the few modules the NIC needs) and
 * Debian's static busybox. Both come from Debian's own packages, fetched once with `apt-get download`
 * and unpacked with `dpkg-deb` into a cache (never installed into the system), so a machine needs only
 * qemu-system-x86 and apt. Cache: $GUESTNET_QEMU_CACHE, default /var/cache/guestnet-tests/qemu.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { promisify } from 'node:util'

import { aptDownload } from '../../support/apt-download'

const run = promisify(execFile)

export const DEFAULT_CACHE = '/var/cache/guestnet-tests/qemu'
/** The NIC's driver: virtio-net over PCI (both modules in Debian's kernel). */
export const NIC_MODULES = ['virtio_pci', 'virtio_net'] as const
const KERNEL_META = 'linux-image-amd64'
const BUSYBOX_PKG = 'busybox-static'
const READY = 'ready'

export interface GuestModule {
  name: string
  path: string
}

export interface GuestFiles {
  /** The kernel package, e.g. linux-image-6.1.0-56-amd64. */
  kernelPackage: string
  vmlinuz: string
  /** In load order: each module after the ones it depends on. */
  modules: GuestModule[]
  busybox: string
}

export function cacheDir(): string {
  return process.env.GUESTNET_QEMU_CACHE || DEFAULT_CACHE
}

/** Module name as the kernel spells it (`-` and `_` are the same). */
function modName(file: string): string {
  return basename(file)
    .replace(/\.ko(\.xz|\.zst)?$/, '')
    .replace(/-/g, '_')
}

/** The `depends=` list in a module's .modinfo section. */
export function moduleDepends(ko: Buffer): string[] {
  const at = ko.indexOf('\0depends=')
  if (at < 0) return []
  const start = at + '\0depends='.length
  const end = ko.indexOf(0, start)
  return ko
    .subarray(start, end < 0 ? undefined : end)
    .toString('ascii')
    .split(',')
    .filter(Boolean)
    .map((n) => n.replace(/-/g, '_'))
}

/** `wanted` and everything it depends on, dependencies first. */
export function loadOrder(wanted: readonly string[], depends: (name: string) => string[]): string[] {
  const order: string[] = []
  const visiting = new Set<string>()
  const visit = (name: string): void => {
    if (order.includes(name)) return
    if (visiting.has(name)) throw new Error(`module dependency cycle at ${name}`)
    visiting.add(name)
    for (const dep of depends(name)) visit(dep)
    visiting.delete(name)
    order.push(name)
  }
  for (const name of wanted) visit(name)
  return order
}

async function walk(dir: string, found: (path: string) => void): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) await walk(path, found)
    else if (entry.isFile()) found(path)
  }
}

/** The kernel package linux-image-amd64 points at (apt's lists must be current: apt-get update). */
async function currentKernelPackage(): Promise<string> {
  const { stdout } = await run('apt-cache', ['depends', KERNEL_META], { timeout: 60_000 })
  const m = /Depends: (linux-image-[0-9][\w.+-]*)/.exec(stdout)
  if (!m) throw new Error(`'apt-cache depends ${KERNEL_META}' names no kernel package (run apt-get update)`)
  return m[1]
}

/** Newest complete cached entry starting with `prefix`, or null. */
async function cached(prefix: string): Promise<string | null> {
  const dir = cacheDir()
  if (!existsSync(dir)) return null
  const names = (await readdir(dir)).filter((n) => n.startsWith(prefix) && existsSync(join(dir, n, READY)))
  names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
  return names.length > 0 ? join(dir, names[names.length - 1]) : null
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Work dirs of fetches whose process died midway. */
async function sweepStaleWork(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const m = /^\.tmp-(\d+)-/.exec(name)
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1])))
      await rm(join(dir, name), { recursive: true, force: true })
  }
}

/** Unpacks `pkg` in a private temp dir, lets `pick` copy what it needs into `out`, then moves `out` in place. */
async function fetchInto(
  pkg: string,
  target: string,
  pick: (unpacked: string, out: string) => Promise<void>
): Promise<void> {
  const dir = cacheDir()
  await mkdir(dir, { recursive: true })
  await sweepStaleWork(dir)
  const work = await mkdtemp(join(dir, `.tmp-${process.pid}-`))
  try {
    const deb = await aptDownload(pkg, work)
    const unpacked = join(work, 'x')
    await run('dpkg-deb', ['-x', deb, unpacked], { timeout: 300_000 })
    const out = join(work, 'out')
    await mkdir(out)
    await pick(unpacked, out)
    await writeFile(join(out, READY), `${basename(deb)}\n`)
    // Another test run may have filled the same entry meanwhile: then keep theirs.
    await rename(out, target).catch((error: NodeJS.ErrnoException) => {
      if (!existsSync(join(target, READY))) throw error
    })
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

async function pickKernel(unpacked: string, out: string): Promise<void> {
  const files: string[] = []
  await walk(unpacked, (p) => files.push(p))
  const vmlinuz = files.find((p) => /\/boot\/vmlinuz-/.test(p))
  if (!vmlinuz) throw new Error('the kernel package has no /boot/vmlinuz-*')
  await copyFile(vmlinuz, join(out, 'vmlinuz'))
  const byName = new Map(files.filter((p) => /\.ko(\.xz|\.zst)?$/.test(p)).map((p) => [modName(p), p]))
  const bytes = new Map<string, Buffer>()
  const load = async (name: string): Promise<Buffer> => {
    const have = bytes.get(name)
    if (have) return have
    const path = byName.get(name)
    if (!path) throw new Error(`the kernel package has no module ${name}`)
    const data = path.endsWith('.ko')
      ? await readFile(path)
      : (await run(path.endsWith('.xz') ? 'xz' : 'zstd', ['-dc', path], { encoding: 'buffer', maxBuffer: 64 << 20 }))
          .stdout
    bytes.set(name, data)
    return data
  }
  // Read every module the NIC needs first (loadOrder is synchronous).
  const pending = [...NIC_MODULES] as string[]
  while (pending.length > 0) {
    const name = pending.pop() as string
    if (bytes.has(name)) continue
    pending.push(...moduleDepends(await load(name)))
  }
  const order = loadOrder(NIC_MODULES, (name) => moduleDepends(bytes.get(name) as Buffer))
  await mkdir(join(out, 'modules'))
  for (const name of order) await writeFile(join(out, 'modules', `${name}.ko`), bytes.get(name) as Buffer)
  await writeFile(join(out, 'modules', 'order'), `${order.join('\n')}\n`)
}

async function pickBusybox(unpacked: string, out: string): Promise<void> {
  const files: string[] = []
  await walk(unpacked, (p) => files.push(p))
  const busybox = files.find((p) => /\/bin\/busybox$/.test(p))
  if (!busybox) throw new Error(`${BUSYBOX_PKG} has no bin/busybox`)
  await copyFile(busybox, join(out, 'busybox'))
}

async function kernelDir(): Promise<string> {
  const forced = process.env.GUESTNET_QEMU_KERNEL_PKG
  if (!forced) {
    const have = await cached('linux-image-')
    if (have) return have
  }
  const pkg = forced || (await currentKernelPackage())
  const target = join(cacheDir(), pkg)
  if (!existsSync(join(target, READY))) await fetchInto(pkg, target, pickKernel)
  return target
}

async function busyboxDir(): Promise<string> {
  const have = await cached(BUSYBOX_PKG)
  if (have) return have
  const target = join(cacheDir(), BUSYBOX_PKG)
  await fetchInto(BUSYBOX_PKG, target, pickBusybox)
  return target
}

/** The cached guest files, fetched from Debian's archive on first use (about 70 MB, once). */
export async function guestFiles(): Promise<GuestFiles> {
  const kdir = await kernelDir()
  const bdir = await busyboxDir()
  const order = (await readFile(join(kdir, 'modules', 'order'), 'utf8')).split('\n').filter(Boolean)
  return {
    kernelPackage: basename(kdir),
    vmlinuz: join(kdir, 'vmlinuz'),
    modules: order.map((name) => ({ name, path: join(kdir, 'modules', `${name}.ko`) })),
    busybox: join(bdir, 'busybox')
  }
}
