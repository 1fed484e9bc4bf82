/**
 * A real firewalld for namespace tests, never installed on the machine: Debian's packages (firewalld,
 * python3-firewall, python3-nftables) fetched once with `apt-get download` and unpacked into a cache
 * ($GUESTNET_FIREWALLD_CACHE, default /var/cache/guestnet-tests/firewalld). The test gets a mount
 * namespace of its own (firewalld-host.sh: firewalld's configuration and a system bus directory there
 * only), a dbus-daemon on that bus, and firewalld running in the world's host namespace, where it
 * loads its `inet firewalld` table. guestnet runs inside the same mount namespace (`wrap`), so its
 * helper talks to this firewalld exactly as it would to the machine's.
 */
import { execFile, spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

import { FIREWALLD_NAME, replyStrings, replyTrue } from '../../../src-main/helper/run/firewalld-bus'
import { aptDownload } from '../../support/apt-download'
import { isOurs, trackChild } from './cleanup'
import { findProgram } from './requirements'
import type { World } from './world'

const run = promisify(execFile)
const SCRIPT = fileURLToPath(new URL('./firewalld-host.sh', import.meta.url))
const PACKAGES = ['firewalld', 'python3-firewall', 'python3-nftables'] as const
const PYTHON = '/usr/bin/python3'
const READY = 'ready'

const cacheDir = (): string => process.env.GUESTNET_FIREWALLD_CACHE || '/var/cache/guestnet-tests/firewalld'

/** Why a private firewalld cannot run here, or null. */
export function firewalldSkipReason(): string | null {
  for (const [program, pkg] of [
    ['dbus-daemon', 'dbus-daemon'],
    ['dbus-send', 'dbus-bin'],
    ['apt-get', 'apt'],
    ['dpkg-deb', 'dpkg'],
    ['nsenter', 'util-linux'],
    ['unshare', 'util-linux']
  ] as const) {
    if (!findProgram(program)) return `${program} is missing (apt-get install ${pkg})`
  }
  // What firewalld imports from Debian's python3 besides its own (unpacked) packages.
  const probe = existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', 'import dbus, gi'], { timeout: 10_000 }) : null
  if (probe?.status !== 0) return `${PYTHON} cannot import dbus and gi (apt-get install python3-dbus python3-gi)`
  return null
}

/** The unpacked packages (a directory with etc/, usr/), fetched on first use. */
async function packageRoot(): Promise<string> {
  const target = join(cacheDir(), 'root')
  if (existsSync(join(target, READY))) return target
  await mkdir(cacheDir(), { recursive: true })
  const work = await mkdtemp(join(cacheDir(), `.tmp-${process.pid}-`))
  try {
    const out = join(work, 'root')
    for (const pkg of PACKAGES) {
      const deb = await aptDownload(pkg, work)
      await run('dpkg-deb', ['-x', deb, out], { timeout: 120_000 })
    }
    await writeFile(join(out, READY), `${PACKAGES.join(' ')}\n`)
    await rename(out, target).catch((error: NodeJS.ErrnoException) => {
      if (!existsSync(join(target, READY))) throw error
    })
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  return target
}

export interface FirewalldHost {
  /** The prefix that runs a command in the test's mount namespace (give it to `world.guestnet`). */
  wrap: readonly string[]
  /** A method of firewalld's zone interface by dbus-send; its `string "…"` answers. */
  zoneCall(method: string, ...args: string[]): Promise<string[]>
  /** The zone `ifname` is in ('' for none). */
  zoneOf(ifname: string): Promise<string>
  /** `firewall-cmd --reload` (over D-Bus). */
  reload(): Promise<void>
  /** A long-running process in the host namespace and the test's mount namespace, ended by `stop()`. */
  spawnInHost(argv: readonly string[]): ChildProcess
  /** Ends firewalld and its bus (by PID) and releases the mount namespace. */
  stop(): Promise<void>
}

const BUS_CONF = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=/run/dbus/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="root"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/**
 * firewalld in the world's host namespace, with `zoneFile` installed as the zone `guestnet` when
 * given. Call `stop()` before the world's dispose (the namespace file lies in the world's dir).
 */
export async function startFirewalld(world: World, opts: { zoneFile?: string } = {}): Promise<FirewalldHost> {
  const pkg = await packageRoot()
  const file = join(world.dir, 'fw-mnt-ns')
  await writeFile(file, '')
  await run('unshare', [`--mount=${file}`, '--propagation', 'private', 'true'])
  const wrap = ['nsenter', `--mount=${file}`, '--'] as const
  const inside = (argv: readonly string[]) => run(wrap[0], [...wrap.slice(1), ...argv], { timeout: 30_000 })
  const children: ChildProcess[] = []
  const stop = async (): Promise<void> => {
    for (const child of children.reverse()) await exited(child)
    await run('umount', [file]).catch(() => undefined)
  }
  try {
    const stage = join(world.dir, 'fw-stage')
    await mkdir(stage)
    await inside(['sh', SCRIPT, stage, pkg, ...(opts.zoneFile ? [opts.zoneFile] : [])])
    const conf = join(world.dir, 'fw-bus.conf')
    await writeFile(conf, BUS_CONF)
    // Both long-running processes in the host namespace (the harness runs nothing outside its
    // namespaces); nsenter joins both at once: `ip netns exec` would make a mount namespace in which
    // the test's one cannot be entered.
    if (!isOurs(world.host)) throw new Error(`refusing ${world.host}: not one of this run's namespaces`)
    const inHost = (argv: readonly string[]): string[] => [
      'nsenter',
      `--mount=${file}`,
      `--net=/run/netns/${world.host}`,
      '--',
      ...argv
    ]
    const spawnInHost = (argv: readonly string[]): ChildProcess =>
      trackChild(spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] }))
    children.push(spawnInHost(inHost(['dbus-daemon', `--config-file=${conf}`, '--nofork', '--nopidfile'])))
    const send = async (dest: string, path: string, method: string, ...args: string[]): Promise<string> =>
      (
        await inside([
          'dbus-send',
          '--system',
          '--print-reply',
          '--reply-timeout=10000',
          `--dest=${dest}`,
          path,
          method,
          ...args.map((a) => `string:${a}`)
        ])
      ).stdout
    const owned = async (): Promise<boolean> =>
      replyTrue(
        await send(
          'org.freedesktop.DBus',
          '/org/freedesktop/DBus',
          'org.freedesktop.DBus.NameHasOwner',
          FIREWALLD_NAME
        ).catch(() => '')
      )
    const python = join(pkg, 'usr/lib/python3/dist-packages')
    const firewalld = inHost([
      'env',
      `PYTHONPATH=${python}`,
      PYTHON,
      join(pkg, 'usr/sbin/firewalld'),
      '--nofork',
      '--nopid'
    ])
    const fw = spawnInHost(firewalld)
    children.push(fw)
    let log = ''
    fw.stderr?.on('data', (d: Buffer) => (log += d.toString()))
    fw.stdout?.on('data', (d: Buffer) => (log += d.toString()))
    const deadline = Date.now() + 30_000
    while (!(await owned())) {
      if (fw.exitCode !== null || Date.now() > deadline)
        throw new Error(`firewalld did not come up on the test's bus:\n${log.slice(-2000)}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    // firewalld takes its bus name before it has loaded its own nft table: a test that snapshots the
    // host right after start would see that table appear later as a leftover (seen under load).
    const hasTable = (): Promise<boolean> =>
      world.x.inNs(world.host, ['nft', 'list', 'table', 'inet', 'firewalld']).then(
        () => true,
        () => false
      )
    while (!(await hasTable())) {
      if (fw.exitCode !== null || Date.now() > deadline)
        throw new Error(`firewalld did not load its nft table:\n${log.slice(-2000)}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    const zoneCall = async (method: string, ...args: string[]): Promise<string[]> =>
      replyStrings(
        await send(FIREWALLD_NAME, '/org/fedoraproject/FirewallD1', `${FIREWALLD_NAME}.zone.${method}`, ...args)
      )
    return {
      wrap,
      zoneCall,
      zoneOf: async (ifname) => (await zoneCall('getZoneOfInterface', ifname))[0] ?? '',
      reload: async () => {
        await send(FIREWALLD_NAME, '/org/fedoraproject/FirewallD1', `${FIREWALLD_NAME}.reload`)
      },
      spawnInHost: (argv) => {
        const child = spawnInHost(inHost(argv))
        children.push(child)
        return child
      },
      stop
    }
  } catch (error) {
    await stop()
    throw error
  }
}
