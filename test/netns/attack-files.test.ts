/**
 * Attacks through the files root reads and writes in a store: a lease file that is a link to
 * /etc/shadow (or a FIFO) is refused by the read-only verbs, never read (no line of /etc/shadow in any
 * output); links planted under guestnet's old predictable temporary names (`.NAME.json.tmp-<pid>`), at
 * the journal's own path, or as the network's runtime directory never get their target written; the
 * warm service makes its socket 0600 at creation (whatever the umask) and refuses to start when a link
 * sits at the socket's path, leaving the link's target as it was. Each beside a positive control.
 */
import type { ChildProcess } from 'node:child_process'
import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmdirSync,
  rmSync,
  statSync,
  symlinkSync
} from 'node:fs'
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { helperPaths } from '../../src-main/core/store/helper-paths'
import { expectOk } from './support/guestnet-cli'
import { HELPER_JS, resultOf, runHelper } from './support/helper-direct'
import { writeNetworkXml } from './support/network-xml'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip =
  cliSkipReason() ??
  (existsSync(HELPER_JS) ? null : `the helper is not built (${HELPER_JS})`) ??
  (existsSync('/etc/shadow') ? null : 'no /etc/shadow to aim at')
if (skip) console.warn(`netns file attack tests skipped: ${skip}`)

const NET = { name: 'fil', bridge: 'gnfil0', mode: 'nat', ipv4: '192.168.185.1/24' } as const
const LEASE = '1999999999 52:54:00:aa:bb:cc 192.168.185.50 realguest 01:52:54:00:aa:bb:cc'
const SECRET = 'root secret: must never be overwritten\n'

/** A helper's result line, as far as these tests look into it. */
interface Result {
  type: 'result'
  ok: boolean
  value?: {
    [key: string]: unknown
    networks?: { name: string; state: string; problems: string[] }[]
    repaired?: string[]
    left?: string[]
    failed?: string[]
    warnings?: string[]
    storeProblems?: string[]
  }
  error?: { code: string; message: string; field?: string; rollbackErrors?: string[] }
}

/** See attack-records.test.ts: the namespace's sysctl ledger in the machine's /run/guestnet, removed at the end. */
function trackLedger(file: string): () => void {
  const made = [dirname(file), dirname(dirname(file))].filter((d) => !existsSync(d))
  const clean = (): void => {
    rmSync(file, { force: true })
    rmSync(`${file}.lock`, { force: true })
    if (existsSync(dirname(file))) {
      for (const f of readdirSync(dirname(file)))
        if (f.startsWith(`${basename(file)}.broken-`)) rmSync(join(dirname(file), f), { force: true })
    }
    for (const d of made) {
      try {
        rmdirSync(d)
      } catch {
        // not empty (another run's ledger) or gone
      }
    }
  }
  // Before the namespaces go (cleanup.ts): while ours lives, no one else can have its inode.
  process.prependOnceListener('exit', clean)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.prependOnceListener(signal, clean)
  return clean
}

/** Every line of /etc/shadow, and each line's `name:hash` start (what a parser would echo). */
function shadowNeedles(): string[] {
  const lines = readFileSync('/etc/shadow', 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  return [...lines, ...lines.map((l) => l.split(':').slice(0, 3).join(':'))]
}

describe.skipIf(skip !== null)(`attacks through store files${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let runtime: string
  let state: string
  let cleanLedger: (() => void) | undefined
  const secret = (): string => join(world.dir, 'secret')

  const helper = async (verb: string, args: Record<string, unknown> = {}, root = world.root) => {
    const out = await runHelper(world, {
      verb,
      raw: `${JSON.stringify({ verb, args: { root, netns: world.host, ...args } })}\n`
    })
    return { ...out, result: resultOf(out) as Result | undefined }
  }

  function expectNoShadow(text: string, what: string): void {
    for (const needle of shadowNeedles())
      expect(text.includes(needle), `${what} holds a line of /etc/shadow`).toBe(false)
  }

  function expectSecretIntact(): void {
    const st = lstatSync(secret())
    expect(st.isFile()).toBe(true)
    expect(st.mode & 0o7777).toBe(0o600)
    expect(readFileSync(secret(), 'utf8')).toBe(SECRET)
  }

  beforeAll(async () => {
    world = await createWorld()
    const inode = (await world.x.inNs(world.host, ['stat', '-L', '-c', '%i', '/proc/self/ns/net'])).stdout.trim()
    cleanLedger = trackLedger(helperPaths(undefined, undefined).ledgerFile(`net:[${inode}]`))
    expectOk(await world.guestnet(['net-define', await writeNetworkXml(world.dir, NET)]))
    const paths = helperPaths(realpathSync(world.root), world.host)
    runtime = paths.plan.runtimeDir
    state = paths.plan.stateDir
    await mkdir(join(state, 'dnsmasq'), { recursive: true, mode: 0o755 })
    await mkdir(runtime, { recursive: true, mode: 0o755 })
    await writeFile(secret(), SECRET, { mode: 0o600 })
    await chmod(secret(), 0o600)
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NET.name])
    cleanLedger?.()
    await world?.dispose()
  })

  describe('read-only verbs and a lease file that links to /etc/shadow', () => {
    const leases = (): string => join(state, 'dnsmasq', `${NET.name}.leases`)
    const stray = (): string => join(state, 'dnsmasq', 'stray.leases')

    it('positive control: a real lease file is read', async () => {
      await writeFile(leases(), `${LEASE}\n`)
      const out = await helper('leases', { name: NET.name })
      expect(out.result, out.stderr).toMatchObject({
        ok: true,
        value: { network: NET.name, leases: [{ ip: '192.168.185.50', hostname: 'realguest', prefix: 24 }] }
      })
      const cli = await world.guestnet(['net-dhcp-leases', NET.name])
      expect(cli.code, cli.stderr).toBe(0)
      expect(cli.stdout).toContain('realguest')
      await rm(leases())
    })

    it('the leases verb refuses a link to /etc/shadow, of a defined network or not, and shows none of it', async () => {
      symlinkSync('/etc/shadow', leases())
      symlinkSync('/etc/shadow', stray())
      try {
        for (const name of [NET.name, 'stray']) {
          const out = await helper('leases', { name })
          expect(out.result, name).toMatchObject({ ok: false, error: { code: 'STORE' } })
          expect(out.result?.error?.message, name).toMatch(/refusing .*\.leases: it is a symbolic link/)
          expect(out.code, name).toBe(1)
          expectNoShadow(JSON.stringify(out.events) + out.stderr, `leases ${name}`)
          const cli = await world.guestnet(['net-dhcp-leases', name, '--json'])
          expect(cli.code, name).toBe(1)
          expectNoShadow(cli.stdout + cli.stderr, `net-dhcp-leases ${name}`)
        }
        for (const [verb, args] of [
          ['status', {}],
          ['status', { name: NET.name }],
          ['doctor', {}]
        ] as const) {
          const out = await helper(verb, args)
          expect(out.result, verb).toMatchObject({ ok: true })
          expectNoShadow(JSON.stringify(out.events) + out.stderr, verb)
        }
        const list = await world.guestnet(['net-list', '--all', '--json'])
        expectNoShadow(list.stdout + list.stderr, 'net-list')
        expect(readlinkSync(leases())).toBe('/etc/shadow')
      } finally {
        await rm(leases(), { force: true })
        await rm(stray(), { force: true })
      }
    })

    it('refuses a FIFO as the lease file at once, without hanging on it', async () => {
      await world.x.inNs(world.host, ['mkfifo', '-m', '0600', leases()])
      try {
        const out = await helper('leases', { name: NET.name })
        expect(out.result).toMatchObject({ ok: false, error: { code: 'STORE' } })
        expect(out.result?.error?.message).toMatch(/not a regular file/)
        expect(out.ms).toBeLessThan(5000)
      } finally {
        await rm(leases(), { force: true })
      }
    })

    it('a journal that links to /etc/shadow is reported not usable, never read', async () => {
      const journal = join(runtime, `${NET.name}.json`)
      symlinkSync('/etc/shadow', journal)
      try {
        const status = await helper('status', { name: NET.name })
        const entry = (status.result?.value?.networks ?? []).find((n) => n.name === NET.name)
        expect(entry).toMatchObject({ state: 'broken' })
        expect(entry?.problems.join('\n')).toMatch(/symbolic link/)
        const stop = await helper('stop', { name: NET.name })
        expect(stop.result).toMatchObject({ ok: false, error: { code: 'STORE' } })
        expectNoShadow(JSON.stringify([status.events, stop.events]), 'status and stop')
        expect(readlinkSync(journal)).toBe('/etc/shadow')
      } finally {
        await rm(journal, { force: true })
      }
    })
  })

  describe('links where root writes', () => {
    /**
     * The helper, started by a shell that first plants links to the secret under guestnet's old
     * temporary names for the pid the helper will have (`$$`: the shell execs the helper), so the
     * names are exactly the ones an old helper would have opened.
     */
    function helperAfterPlanting(request: object) {
      const networks = join(world.root, 'etc', 'guestnet', 'networks')
      const prefixes = [
        join(runtime, `.${NET.name}.json.tmp-`),
        join(runtime, `..${NET.name}.starting.json.tmp-`),
        join(runtime, '..definitions.cache.tmp-'),
        join(networks, `.${NET.name}.xml.tmp-`)
      ]
      const script =
        'node=$1 helper=$2 target=$3; shift 3; for p in "$@"; do ln -s "$target" "$p$$"; done; exec "$node" "$helper"'
      const child = world.spawn([
        'ip',
        'netns',
        'exec',
        world.host,
        'sh',
        '-c',
        script,
        'sh',
        process.execPath,
        HELPER_JS,
        secret(),
        ...prefixes
      ])
      let stdout = ''
      child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d))
      child.stdin?.end(`${JSON.stringify(request)}\n`)
      return new Promise<{ result: Result | undefined; planted: string[] }>((resolve) => {
        child.once('close', () => {
          const result = stdout
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as Result)
            .find((e) => e.type === 'result')
          resolve({ result, planted: prefixes.map((p) => `${p}${child.pid}`) })
        })
      })
    }

    it("links under guestnet's old temporary names never get their target overwritten", async () => {
      const args = { root: world.root, netns: world.host }
      const xml = readFileSync(await writeNetworkXml(world.dir, { ...NET, ipv4: '192.168.186.1/24' }), 'utf8')
      const planted: string[] = []
      try {
        // Writes: the definition (changed), the definitions cache, the start intent and the journal.
        const define = await helperAfterPlanting({ verb: 'define', args: { ...args, xml } })
        planted.push(...define.planted)
        expect(define.result).toMatchObject({ ok: true, value: { changed: true } })
        const start = await helperAfterPlanting({ verb: 'start', args: { ...args, name: NET.name } })
        planted.push(...start.planted)
        expect(start.result).toMatchObject({ ok: true, value: { state: 'active' } })
        // Positive control: the journal and the definition were written, as regular files.
        expect(lstatSync(join(runtime, `${NET.name}.json`)).isFile()).toBe(true)
        expect(readFileSync(join(world.root, 'etc', 'guestnet', 'networks', `${NET.name}.xml`), 'utf8')).toContain(
          '192.168.186.1'
        )
        const stop = await helperAfterPlanting({ verb: 'stop', args: { ...args, name: NET.name } })
        planted.push(...stop.planted)
        expect(stop.result).toMatchObject({ ok: true })
        expectSecretIntact()
        expect(planted).toHaveLength(12)
        for (const path of planted) expect(lstatSync(path).isSymbolicLink(), path).toBe(true)
      } finally {
        for (const path of planted) rmSync(path, { force: true })
      }
    })

    it("a link at the journal's path is refused by stop and replaced, never followed, by start", async () => {
      const journal = join(runtime, `${NET.name}.json`)
      symlinkSync(secret(), journal)
      const stop = await helper('stop', { name: NET.name })
      expect(stop.result).toMatchObject({ ok: false, error: { code: 'STORE' } })
      const start = await helper('start', { name: NET.name })
      expect(start.result, start.stderr).toMatchObject({ ok: true, value: { state: 'active' } })
      expect(start.result?.value?.repaired?.join('\n')).toMatch(/quarantine-journal fil: .*symbolic link/)
      expect(lstatSync(journal).isFile()).toBe(true)
      expect((await helper('stop', { name: NET.name })).result).toMatchObject({ ok: true })
      expect(existsSync(journal)).toBe(false)
      expectSecretIntact()
    })

    it("a link as the network's runtime directory makes start refuse; nothing is written through it", async () => {
      const elsewhere = join(world.dir, 'elsewhere')
      await mkdir(elsewhere, { mode: 0o755 })
      const dir = join(runtime, NET.name)
      await rm(dir, { recursive: true, force: true })
      symlinkSync(elsewhere, dir)
      try {
        const start = await helper('start', { name: NET.name })
        expect(start.result).toMatchObject({ ok: false })
        expect(JSON.stringify(start.result?.error)).toMatch(/symbolic link/)
        expect(readdirSync(elsewhere)).toEqual([])
        expect(existsSync(join(runtime, `${NET.name}.json`))).toBe(false)
        const links = await world.x.ipJson<{ ifname: string }[]>(world.host, ['link', 'show'])
        expect(links.map((l) => l.ifname)).not.toContain(NET.bridge)
      } finally {
        await rm(dir, { force: true })
      }
      // Positive control: without the link, the same start works.
      const start = await helper('start', { name: NET.name })
      expect(start.result, start.stderr).toMatchObject({ ok: true })
      expect((await helper('stop', { name: NET.name })).result).toMatchObject({ ok: true })
    })
  })

  describe("the warm service's socket", () => {
    function serve(
      root: string,
      umask = '022'
    ): { child: ChildProcess; log: () => string; exited: Promise<number | null> } {
      const child = world.spawn([
        'ip',
        'netns',
        'exec',
        world.host,
        'sh',
        '-c',
        `umask ${umask} && exec "$0" "$@"`,
        process.execPath,
        HELPER_JS,
        '--serve',
        '--root',
        root,
        '--idle-timeout',
        '0'
      ])
      let log = ''
      child.stderr?.setEncoding('utf8').on('data', (d: string) => (log += d))
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      return { child, log: () => log, exited }
    }

    async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
        await new Promise((r) => setTimeout(r, 25))
      }
    }

    it('positive control: the socket is made 0600, root-owned, even with umask 000', async () => {
      const root = join(world.dir, 'svc-ok')
      const socket = join(root, 'run', 'guestnet', '.helper.sock')
      const service = serve(root, '000')
      try {
        await until('the socket', () => existsSync(socket) || service.child.exitCode !== null)
        const st = lstatSync(socket)
        expect(st.isSocket()).toBe(true)
        expect(st.mode & 0o777).toBe(0o600)
        expect(st.uid).toBe(0)
      } finally {
        service.child.kill('SIGTERM')
        expect(await service.exited).toBe(0)
      }
      expect(existsSync(socket)).toBe(false)
    })

    it('refuses to start when a link sits at the socket path, and leaves its target alone', async () => {
      const root = join(world.dir, 'svc-link')
      const runDir = join(root, 'run', 'guestnet')
      await mkdir(runDir, { recursive: true, mode: 0o755 })
      for (const dir of [root, join(root, 'run'), runDir]) await chmod(dir, 0o755)
      const target = join(world.dir, 'socket-target')
      await writeFile(target, 'not a socket\n', { mode: 0o644 })
      await chmod(target, 0o644)
      const socket = join(runDir, '.helper.sock')
      symlinkSync(target, socket)
      const service = serve(root, '000')
      expect(await service.exited).toBe(1)
      expect(service.log()).toMatch(/\.helper\.sock exists and is not a socket/)
      expect(lstatSync(socket).isSymbolicLink()).toBe(true)
      expect(readlinkSync(socket)).toBe(target)
      const st = statSync(target)
      expect(st.mode & 0o7777).toBe(0o644)
      expect(st.uid).toBe(0)
      expect(readFileSync(target, 'utf8')).toBe('not a socket\n')
      // A link to a directory, or to the socket of a running service, is refused the same way.
      const dirTarget = join(world.dir, 'socket-dir')
      await mkdir(dirTarget, { mode: 0o755 })
      await rm(socket)
      symlinkSync(dirTarget, socket)
      const again = serve(root)
      expect(await again.exited).toBe(1)
      expect(again.log()).toMatch(/exists and is not a socket/)
      expect(statSync(dirTarget).mode & 0o7777).toBe(0o755)
      expect(readdirSync(dirTarget)).toEqual([])
    })
  })
})
