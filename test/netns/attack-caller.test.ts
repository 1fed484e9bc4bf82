/**
 * Attacks on who may pick the store: the built helper run exactly as pkexec runs it (`env -i
 * PATH=… PKEXEC_UID=65534 node helper.js`, the request on stdin, inside the test's host namespace)
 * must refuse `root`, `netns` and the test switches and change nothing; a root caller's `--root` is
 * resolved to the one real path and every directory on the way checked, so a store reached through a
 * link or a `..` that a user (uid 65534) controls, or through /proc/PID/root, is the real checked
 * directory or refused with BAD_ROOT naming the directory at fault. Each attack sits beside a
 * positive control that shows the same path works.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectOk, runGuestnet } from './support/guestnet-cli'
import { HELPER_JS } from './support/helper-direct'
import type { HostSnapshot } from './support/inspect'
import { leftovers, snapshotHost } from './support/inspect'
import { helperPaths } from '../../src-main/core/store/helper-paths'
import { networkXml, writeNetworkXml } from './support/network-xml'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason() ?? (existsSync(HELPER_JS) ? null : `the helper is not built (${HELPER_JS})`)
if (skip) console.warn(`netns caller attack tests skipped: ${skip}`)

const NOBODY = 65534
const SAFE_PATH = 'PATH=/usr/sbin:/usr/bin:/sbin:/bin'
const NET = { name: 'cal', bridge: 'gncal0', mode: 'nat', ipv4: '192.168.181.1/24' } as const
const REAL = { name: 'real', bridge: 'gnreal0', mode: 'nat', ipv4: '192.168.182.1/24' } as const
const PLANTED = { name: 'planted', bridge: 'gnplant0', mode: 'nat', ipv4: '192.168.183.1/24' } as const

interface Result {
  type: 'result'
  ok: boolean
  value?: Record<string, unknown>
  error?: { code: string; message: string; field?: string }
}

interface Outcome {
  code: number | null
  result: Result | undefined
  stdout: string
  stderr: string
}

/**
 * The built helper in the host namespace with an empty environment but PATH, as pkexec starts it
 * (`pkexecUid`: PKEXEC_UID; without it, a root caller), plus `env`; one request on stdin.
 */
function helper(
  world: World,
  request: object,
  opts: { pkexecUid?: number; env?: Record<string, string>; asUser?: number } = {}
) {
  const who =
    opts.asUser === undefined
      ? []
      : ['setpriv', `--reuid=${opts.asUser}`, `--regid=${opts.asUser}`, '--clear-groups', '--']
  const env = [
    SAFE_PATH,
    ...(opts.pkexecUid === undefined ? [] : [`PKEXEC_UID=${opts.pkexecUid}`]),
    ...Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`)
  ]
  const child = world.spawn([
    'ip',
    'netns',
    'exec',
    world.host,
    ...who,
    'env',
    '-i',
    ...env,
    process.execPath,
    HELPER_JS
  ])
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  child.stdin?.end(`${JSON.stringify(request)}\n`)
  return new Promise<Outcome>((resolve) => {
    child.once('close', (code) => {
      const lines = stdout.split('\n').filter((l) => l.trim().startsWith('{'))
      const result = lines.map((l) => JSON.parse(l) as Result).find((e) => e.type === 'result')
      resolve({ code, result, stdout, stderr })
    })
  })
}

function networkNames(out: Outcome): string[] {
  const networks = (out.result?.value?.networks ?? []) as { name: string }[]
  return networks.map((n) => n.name).sort()
}

describe.skipIf(skip !== null)(`attacks on the caller and the store root${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  /** A directory uid 65534 owns, where it plants links and stores. */
  let user: string
  /** A second root-owned store (`safe/lib`), the real target of the `..` trick. */
  let safeLib: string
  const canary = (): string => join(world.dir, 'PWNED')

  const asNobody = (argv: string[]) =>
    world.x.inNs(world.host, ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', ...argv])

  /**
   * The machine's system store as far as this test can see it: /etc/guestnet and /var/lib/guestnet,
   * what /run/guestnet holds besides the namespaces' sysctl ledgers (other test runs on this machine
   * keep theirs there), and the ledger of this test's host namespace.
   */
  const systemStoreState = async (): Promise<unknown> => ({
    etc: existsSync('/etc/guestnet'),
    varLib: existsSync('/var/lib/guestnet'),
    run: existsSync('/run/guestnet')
      ? readdirSync('/run/guestnet')
          .filter((e) => e !== '.sysctl')
          .sort()
      : [],
    ledger: existsSync(helperPaths(undefined, undefined).ledgerFile(`net:[${await hostInode()}]`))
  })
  const hostInode = async (): Promise<string> =>
    (await world.x.inNs(world.host, ['stat', '-L', '-c', '%i', '/proc/self/ns/net'])).stdout.trim()

  beforeAll(async () => {
    world = await createWorld()
    expectOk(await world.guestnet(['net-define', await writeNetworkXml(world.dir, NET)]))
    // uid 65534 may pass through the test's directory (not list it) to a directory of its own.
    await chmod(world.dir, 0o711)
    user = join(world.dir, 'u')
    await mkdir(user)
    await chmod(user, 0o755)
    await world.x.inNs(world.host, ['chown', `${NOBODY}:${NOBODY}`, user])
    // The real store behind `u/L/../lib`: root's `safe/lib`, with a network of its own.
    await mkdir(join(world.dir, 'safe', 'bin'), { recursive: true, mode: 0o755 })
    safeLib = join(world.dir, 'safe', 'lib')
    expectOk(
      await runGuestnet({
        root: safeLib,
        netns: world.host,
        args: ['net-define', await writeNetworkXml(world.dir, REAL)]
      })
    )
    // What uid 65534 plants: a link to root's safe/bin, so `u/L/../lib` reads as u/lib but is safe/lib;
    // and in u/lib a store of its own with a network and a journal whose undo is a shell command.
    await asNobody(['ln', '-s', join(world.dir, 'safe', 'bin'), join(user, 'L')])
    await asNobody(['ln', '-s', world.root, join(user, 'to-root')])
    await asNobody([
      'mkdir',
      '-p',
      join(user, 'lib', 'etc', 'guestnet', 'networks'),
      join(user, 'lib', 'run', 'guestnet')
    ])
    const planted = join(world.dir, 'planted.xml')
    await writeFile(planted, networkXml(PLANTED))
    await chmod(planted, 0o644)
    await asNobody(['cp', planted, join(user, 'lib', 'etc', 'guestnet', 'networks', 'planted.xml')])
    await asNobody([
      'sh',
      '-c',
      `printf '%s' "$1" > "$2"`,
      'sh',
      v1Journal(PLANTED.name, canary()),
      join(user, 'lib', 'run', 'guestnet', 'planted.json')
    ])
    await asNobody(['mkdir', '-p', join(user, 'lib', 'var', 'lib', 'guestnet', 'dnsmasq')])
    await asNobody([
      'ln',
      '-s',
      '/etc/shadow',
      join(user, 'lib', 'var', 'lib', 'guestnet', 'dnsmasq', 'planted.leases')
    ])
    await asNobody(['mkdir', join(user, 'evil')])
    await asNobody(['ln', '-s', join(user, 'evil'), join(user, 'to-evil')])
  })
  afterAll(async () => {
    await world?.dispose()
  })

  describe('the helper run as pkexec runs it (PKEXEC_UID=65534, env -i)', () => {
    let before: HostSnapshot
    let beforeInet: HostSnapshot
    let storeFiles: string[]
    let systemBefore: unknown

    beforeAll(async () => {
      before = await snapshotHost(world.x, world.host, world.root)
      beforeInet = await snapshotHost(world.x, world.inet, world.root)
      storeFiles = readdirSync(join(world.root, 'etc', 'guestnet', 'networks')).sort()
      systemBefore = await systemStoreState()
    })

    it('positive control: the same invocation as a root caller acts on --root; through pkexec, status reads the system store', async () => {
      const asRoot = await helper(world, { verb: 'status', args: { root: world.root } })
      expect(asRoot.result, asRoot.stderr).toMatchObject({ ok: true })
      expect(networkNames(asRoot)).toEqual([NET.name])
      const viaPkexec = await helper(world, { verb: 'status', args: {} }, { pkexecUid: NOBODY })
      expect(viaPkexec.result, viaPkexec.stderr).toMatchObject({ ok: true })
      expect(viaPkexec.code).toBe(0)
      expect(networkNames(viaPkexec)).not.toContain(NET.name)
    })

    it('refuses root and netns (BAD_REQUEST naming args.root / args.netns) and changes nothing', async () => {
      const cases: Array<[object, string]> = [
        [{ verb: 'status', args: { root: world.root } }, 'args.root'],
        [{ verb: 'start', args: { name: NET.name, root: world.root } }, 'args.root'],
        [{ verb: 'start', args: { name: NET.name, root: world.root, netns: world.host } }, 'args.root'],
        [{ verb: 'stop', args: { name: PLANTED.name, root: `${user}/L/../lib` } }, 'args.root'],
        [{ verb: 'reconcile', args: { root: `/proc/self/root${world.root}` } }, 'args.root'],
        [{ verb: 'define', args: { xml: networkXml(PLANTED), root: join(user, 'lib') } }, 'args.root'],
        [{ verb: 'leases', args: { name: NET.name, root: world.root } }, 'args.root'],
        [{ verb: 'start', args: { name: NET.name, netns: world.host } }, 'args.netns'],
        [{ verb: 'reconcile', args: { netns: world.inet } }, 'args.netns'],
        [{ verb: 'status', args: { netns: world.inet } }, 'args.netns']
      ]
      for (const [request, field] of cases) {
        const out = await helper(world, request, { pkexecUid: NOBODY })
        const shown = JSON.stringify(request)
        expect(out.result, shown).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', field } })
        expect(out.result?.error?.message, shown).toMatch(field === 'args.root' ? /--root/ : /--netns/)
        expect(out.code, shown).toBe(2)
      }
      expect(await snapshotHost(world.x, world.host, world.root)).toEqual(before)
      expect(await snapshotHost(world.x, world.inet, world.root)).toEqual(beforeInet)
      expect(readdirSync(join(world.root, 'etc', 'guestnet', 'networks')).sort()).toEqual(storeFiles)
      expect(await systemStoreState()).toEqual(systemBefore)
      expect(existsSync(canary())).toBe(false)
    })

    it('refuses GUESTNET_HELPER_FAULT and GUESTNET_TIMING from a pkexec caller (honoured for root)', async () => {
      for (const [key, value] of [
        ['GUESTNET_HELPER_FAULT', 'fail:bridge'],
        ['GUESTNET_TIMING', '1']
      ]) {
        const out = await helper(world, { verb: 'status', args: {} }, { pkexecUid: NOBODY, env: { [key]: value } })
        expect(out.result, key).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
        expect(out.result?.error?.message, key).toContain(key)
        expect(out.code, key).toBe(2)
      }
      // Positive control: the same switch from a root caller is honoured (the start fails at the bridge
      // and is rolled back).
      const root = await helper(
        world,
        { verb: 'start', args: { name: NET.name, root: world.root } },
        { env: { GUESTNET_HELPER_FAULT: 'fail:bridge' } }
      )
      expect(root.result).toMatchObject({ ok: false, error: { code: 'STEP_FAILED' } })
      expect(root.stdout).toContain('"type":"rolled-back"')
      expect(leftovers(before, await snapshotHost(world.x, world.host, world.root))).toEqual([])
      expect(await systemStoreState()).toEqual(systemBefore)
    })

    it('refuses a PKEXEC_UID that is not a user id', async () => {
      const child = await helper(world, { verb: 'status', args: {} }, { env: { PKEXEC_UID: '0;id' } })
      expect(child.result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
      expect(child.result?.error?.message).toMatch(/PKEXEC_UID/)
    })
  })

  describe('a root caller: --root resolved to the real path, every directory checked', () => {
    it('positive control: a root-owned store works, also through a link or /proc/self/root', async () => {
      for (const root of [world.root, join(user, 'to-root'), `/proc/self/root${world.root}`]) {
        const out = await helper(world, { verb: 'status', args: { root } })
        expect(out.result, root).toMatchObject({ ok: true })
        expect(networkNames(out), root).toEqual([NET.name])
      }
    })

    it('refuses a root owned by uid 65534 (BAD_ROOT naming it), directly, by a link or by /proc/self/root', async () => {
      const evil = join(user, 'evil')
      for (const root of [evil, join(user, 'to-evil'), `/proc/self/root${evil}`, join(user, 'lib')]) {
        const out = await helper(world, { verb: 'status', args: { root } })
        expect(out.result, root).toMatchObject({ ok: false, error: { code: 'BAD_ROOT', field: 'args.root' } })
        expect(out.result?.error?.message, root).toContain(`${user} `)
        expect(out.result?.error?.message, root).toMatch(/owned by uid 65534/)
      }
    })

    it("reads the real directory behind a user's `..` trick, never the one it spells (u/L/../lib is safe/lib)", async () => {
      const trick = `${user}/L/../lib`
      const status = await helper(world, { verb: 'status', args: { root: trick } })
      expect(status.result).toMatchObject({ ok: true })
      expect(networkNames(status)).toEqual([REAL.name])
      // The planted journal in u/lib is never read, let alone run.
      const stop = await helper(world, { verb: 'stop', args: { name: PLANTED.name, root: trick } })
      expect(stop.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
      const reconcile = await helper(world, { verb: 'reconcile', args: { root: trick } })
      expect(reconcile.result).toMatchObject({ ok: true })
      expect(JSON.stringify(reconcile.result)).not.toContain(PLANTED.name)
      expect(existsSync(canary())).toBe(false)
      expect(readdirSync(join(user, 'lib', 'run', 'guestnet'))).toEqual(['planted.json'])
      // The CLI as root takes the same path.
      const list = await runGuestnet({ root: trick, netns: world.host, args: ['net-list', '--all'] })
      expect(list.code, list.stderr).toBe(0)
      expect(list.stdout).toContain(REAL.name)
      expect(list.stdout).not.toContain(PLANTED.name)
    })

    it('never shows /etc/shadow through a lease file uid 65534 linked to it in a store of its own', async () => {
      const shadow = readFileSync('/etc/shadow', 'utf8')
        .split('\n')
        .filter(Boolean)
        .flatMap((l) => [l, l.split(':').slice(0, 3).join(':')])
      const leases = { verb: 'leases', args: { name: PLANTED.name } }
      const runs: Array<[string, Outcome, string]> = [
        // A root caller: the user's store is refused.
        [
          'root, u/lib',
          await helper(world, { ...leases, args: { ...leases.args, root: join(user, 'lib') } }),
          'BAD_ROOT'
        ],
        // A root caller through the `..` trick reads safe/lib, which has no such network.
        [
          'root, u/L/../lib',
          await helper(world, { ...leases, args: { ...leases.args, root: `${user}/L/../lib` } }),
          'NOT_FOUND'
        ],
        // Through pkexec: no root at all.
        [
          'pkexec',
          await helper(world, { ...leases, args: { ...leases.args, root: join(user, 'lib') } }, { pkexecUid: NOBODY }),
          'BAD_REQUEST'
        ],
        // The user itself, reading with its own rights: the link is refused (and shadow unreadable anyway).
        [
          'uid 65534',
          await helper(world, { ...leases, args: { ...leases.args, root: join(user, 'lib') } }, { asUser: NOBODY }),
          ''
        ]
      ]
      for (const [who, out, code] of runs) {
        expect(out.result, who).toMatchObject({ ok: false })
        if (code) expect(out.result?.error?.code, who).toBe(code)
        for (const needle of shadow)
          expect((out.stdout + out.stderr).includes(needle), `${who}: a line of /etc/shadow`).toBe(false)
      }
    })

    it('resolves /proc/PID/root of a process uid 65534 runs to the real checked path', async () => {
      const sleeper = world.spawn([
        'ip',
        'netns',
        'exec',
        world.host,
        'setpriv',
        `--reuid=${NOBODY}`,
        `--regid=${NOBODY}`,
        '--clear-groups',
        '--',
        'sleep',
        '30'
      ])
      try {
        await new Promise((r) => setTimeout(r, 100))
        const pid = sleeper.pid ?? 0
        // `ip netns exec` execs setpriv, which execs sleep: the same pid.
        expect(readFileSync(`/proc/${pid}/comm`, 'utf8').trim()).toBe('sleep')
        const good = await helper(world, { verb: 'status', args: { root: `/proc/${pid}/root${user}/L/../lib` } })
        expect(good.result, good.stderr).toMatchObject({ ok: true })
        expect(networkNames(good)).toEqual([REAL.name])
        const bad = await helper(world, { verb: 'status', args: { root: `/proc/${pid}/root${user}/to-evil` } })
        expect(bad.result).toMatchObject({ ok: false, error: { code: 'BAD_ROOT' } })
        expect(bad.result?.error?.message).toContain(`${user} `)
      } finally {
        sleeper.kill('SIGKILL')
      }
    })

    it('refuses paths into the kernel views (/proc, /sys, /dev) and /', async () => {
      for (const root of ['/proc/self', '/proc/self/root/proc/1', '/sys/kernel', '/dev/shm', '/proc/self/root', '/']) {
        const out = await helper(world, { verb: 'status', args: { root } })
        expect(out.result, `${root} ${out.stderr}`).toMatchObject({ ok: false, error: { code: 'BAD_ROOT' } })
      }
    })

    it('creates a missing root only as the last component under a checked parent (no mkdir -p as root)', async () => {
      const fresh = join(world.dir, 'fresh')
      const made = await helper(world, { verb: 'status', args: { root: fresh } })
      expect(made.result, made.stderr).toMatchObject({ ok: true })
      expect(existsSync(fresh)).toBe(true)
      for (const [root, absent] of [
        [join(user, 'new'), join(user, 'new')],
        [join(user, 'to-evil', 'new'), join(user, 'evil', 'new')],
        [join(world.dir, 'a', 'b', 'c'), join(world.dir, 'a')],
        [`${user}/L/../x/y`, join(world.dir, 'safe', 'x')]
      ]) {
        const out = await helper(world, { verb: 'define', args: { xml: networkXml(PLANTED), root } })
        expect(out.result, `${root} ${out.stderr}`).toMatchObject({ ok: false, error: { code: 'BAD_ROOT' } })
        expect(existsSync(absent), absent).toBe(false)
      }
    })
  })
})

/** A journal as guestnet v1 wrote it: the undo as argv lists, which v1's stop ran as root. */
function v1Journal(network: string, canary: string): string {
  return JSON.stringify({
    version: 1,
    kind: 'journal',
    network,
    uuid: null,
    bridge: 'gnpwn0',
    tables: [],
    pidfile: null,
    dnsmasqPid: null,
    sysctls: {},
    netns: null,
    nsId: null,
    startedAt: '2024-01-01T00:00:00.000Z',
    undo: [{ step: 'files', title: 'x', commands: [['sh', '-c', `touch ${canary}`]] }]
  })
}
