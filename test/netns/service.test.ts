/**
 * The warm service (`guestnet-helper --serve`, src-main/helper/service/): started inside the test's
 * host namespace on the test's root, the CLI run in that namespace (no --netns) goes through it; the
 * network it starts really works (a guest's lease, NAT) and its stop leaves nothing. The socket is
 * root-only; hostile or foreign requests on it are refused and the service keeps serving; SIGTERM
 * and the idle timeout end it and remove the socket; a second service on the same root refuses.
 */
import type { ChildProcess } from 'node:child_process'
import { existsSync, lstatSync } from 'node:fs'
import { chmod, mkdir } from 'node:fs/promises'
import { createConnection } from 'node:net'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { writeNetworkXml } from './support/network-xml'
import { cliSkipReason, CLI_JS, findProgram, REPO } from './support/requirements'
import type { World } from './support/world'
import { createWorld, INET4, INET_TCP_PORT } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns service tests skipped: ${skip}`)

const HELPER_JS = join(REPO, 'out', 'main', 'helper.js')
const NET = { name: 'svc', bridge: 'gnsvc0', mode: 'nat', ipv4: '192.168.150.1/24' } as const

interface Service {
  child: ChildProcess
  log(): string
  exited: Promise<number | null>
}

function startService(world: World, root: string, idleSeconds: number, via: 'helper' | 'cli' = 'helper'): Service {
  const entry = via === 'helper' ? [HELPER_JS, '--serve', '--root', root] : [CLI_JS, '--root', root, 'service']
  const child = world.spawn([
    'ip',
    'netns',
    'exec',
    world.host,
    process.execPath,
    ...entry,
    '--idle-timeout',
    String(idleSeconds)
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

/** The CLI inside the host namespace on `root`, as a root shell there would run it (no --netns). */
async function cli(world: World, root: string, args: readonly string[], env: Record<string, string> = {}) {
  return world.x.inNs(world.host, [process.execPath, CLI_JS, '--root', root, ...args], {
    allowFail: true,
    timeoutMs: 30_000,
    env: { ...process.env, ...env }
  })
}

const SOCKET_CLIENT = join(REPO, 'test', 'netns', 'support', 'socket-client.mjs')

/**
 * One raw exchange on the socket, from a process inside the host namespace (the service serves its
 * own namespace only): the frames the service sends back. `client` replaces the client's own pid line.
 */
async function rawExchange(
  world: World,
  socket: string,
  line: string,
  opts: { client?: string; user?: number } = {}
): Promise<Record<string, unknown>[]> {
  const who =
    opts.user === undefined ? [] : ['setpriv', `--reuid=${opts.user}`, `--regid=${opts.user}`, '--clear-groups', '--']
  const argv = [...who, process.execPath, SOCKET_CLIENT, socket, line.trimEnd(), ...(opts.client ? [opts.client] : [])]
  const r = await world.x.inNs(world.host, argv, { allowFail: true, timeoutMs: 20_000 })
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

/** The same exchange from this test process, in the machine's own namespace: the last frame. */
function rawExchangeHere(socket: string, line: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const c = createConnection(socket)
    let text = ''
    c.setEncoding('utf8')
    c.once('connect', () => c.write(`${JSON.stringify({ type: 'client', pid: process.pid })}\n${line}\n`))
    c.on('data', (d: string) => (text += d))
    c.once('error', reject)
    c.once('close', () => resolve(JSON.parse(text.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>))
  })
}

describe.skipIf(skip !== null)(`the warm service${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let service: Service
  let socket: string

  beforeAll(async () => {
    world = await createWorld()
    await mkdir(world.root, { recursive: true, mode: 0o755 })
    socket = join(world.root, 'run', 'guestnet', '.helper.sock')
    service = startService(world, world.root, 0)
    await until('the service socket', () => existsSync(socket))
  })
  afterAll(async () => {
    await cli(world, world.root, ['net-destroy', NET.name], { GUESTNET_SERVICE: 'off' })
    await world?.dispose()
  })

  it('listens on a socket only root can open', () => {
    const st = lstatSync(socket)
    expect(st.isSocket()).toBe(true)
    expect(st.mode & 0o777).toBe(0o600)
    expect(st.uid).toBe(0)
    expect(service.log()).toMatch(/listening on .*\.helper\.sock/)
  })

  it('defines, starts and stops a network for the CLI, which really works and leaves nothing', async () => {
    const file = await writeNetworkXml(world.dir, NET)
    const define = await cli(world, world.root, ['net-define', file])
    expect(define.code, define.stderr).toBe(0)
    const start = await cli(world, world.root, ['net-start', NET.name])
    expect(start.code, start.stderr).toBe(0)
    expect(service.log()).toMatch(new RegExp(`start ${NET.name}: ok`))

    const guest = await world.addGuest({ bridge: NET.bridge, name: 'svcguest' })
    await guest.dhcp()
    expect(guest.lease?.ip).toMatch(/^192\.168\.150\./)
    expect((await guest.probe(INET4, INET_TCP_PORT)).result).toBe('connected')

    const stop = await cli(world, world.root, ['net-destroy', NET.name])
    expect(stop.code, stop.stderr).toBe(0)
    expect(service.log()).toMatch(new RegExp(`stop ${NET.name}: ok`))
    const links = await world.x.ip(world.host, ['-o', 'link', 'show'])
    expect(links.stdout).not.toContain(NET.bridge)
    const tables = await world.x.inNs(world.host, ['nft', 'list', 'tables'])
    expect(tables.stdout).not.toContain(`guestnet_${NET.name}`)
    expect(existsSync(join(world.root, 'run', 'guestnet', `${NET.name}.json`))).toBe(false)
  })

  it('refuses malformed, hostile and foreign requests on the socket, and keeps serving', async () => {
    const cases: Array<[string, string]> = [
      ['{"verb":"start","args":', 'BAD_JSON'],
      // Any name libvirt takes is a name (a shell never sees it): an undefined one is simply not found.
      [JSON.stringify({ verb: 'start', args: { name: 'x;reboot', root: world.root } }), 'NOT_FOUND'],
      [
        JSON.stringify({ verb: 'start', args: { name: 'x\u001b]52;c;cmVib290\u0007', root: world.root } }),
        'INVALID_NAME'
      ],
      [JSON.stringify({ verb: 'start', args: { name: '../../etc', root: world.root } }), 'INVALID_NAME'],
      [JSON.stringify({ verb: 'start', args: { name: NET.name } }), 'BAD_ROOT'],
      [JSON.stringify({ verb: 'start', args: { name: NET.name, root: world.root, netns: world.inet } }), 'NETNS'],
      [JSON.stringify({ verb: 'format-disk', args: { root: world.root } }), 'UNKNOWN_VERB']
    ]
    for (const [line, code] of cases) {
      const frames = await rawExchange(world, socket, line)
      expect(frames[0]).toMatchObject({ type: 'hello', service: 'guestnet-helper' })
      expect(frames.at(-1), line).toMatchObject({ type: 'result', ok: false, error: { code } })
    }
    const links = await world.x.ip(world.host, ['-o', 'link', 'show'])
    expect(links.stdout).not.toContain(NET.bridge)
    const list = await cli(world, world.root, ['net-list', '--all', '--json'])
    expect(list.code, list.stderr).toBe(0)
    expect(list.stdout).toContain(NET.name)
  })

  it('believes no pid a client names unless that process holds the other end of the connection', async () => {
    const status = JSON.stringify({ verb: 'status', args: { root: world.root } })
    expect((await rawExchange(world, socket, status)).at(-1)).toMatchObject({ type: 'result', ok: true })
    // A client in another network namespace (this test process) is not served either.
    expect(await rawExchangeHere(socket, status)).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORISED' } })
    for (const client of [
      JSON.stringify({ type: 'client', pid: 1 }),
      JSON.stringify({ type: 'client', pid: 999_999_999 }),
      'not a client line'
    ]) {
      const frames = await rawExchange(world, socket, status, { client })
      expect(frames.at(-1), client).toMatchObject({ type: 'result', ok: false, error: { code: 'NOT_AUTHORISED' } })
    }
  })

  it('lets a non-root peer (a socket an admin opened up) read, never change, never pick a store', async () => {
    await chmod(world.dir, 0o755)
    const asNobody = async (request: object): Promise<Record<string, unknown>> =>
      (await rawExchange(world, socket, JSON.stringify(request), { user: 65534 })).at(-1) ?? {}
    await chmod(socket, 0o666)
    try {
      expect(await asNobody({ verb: 'status', args: { root: world.root } })).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST', field: 'args.root' }
      })
      const start = await asNobody({ verb: 'start', args: { name: NET.name } })
      expect(start).toMatchObject({ ok: false })
      expect(JSON.stringify(start)).toMatch(/BAD_ROOT|NOT_AUTHORISED/)
    } finally {
      await chmod(socket, 0o600)
    }
    const links = await world.x.ip(world.host, ['-o', 'link', 'show'])
    expect(links.stdout).not.toContain(NET.bridge)
  })

  it('refuses to start a second service on the same root', async () => {
    const second = startService(world, world.root, 0)
    expect(await second.exited).toBe(1)
    expect(second.log()).toMatch(/already listens/)
  })

  it('ends on SIGTERM and removes its socket; the CLI then works without it', async () => {
    service.child.kill('SIGTERM')
    expect(await service.exited).toBe(0)
    expect(existsSync(socket)).toBe(false)
    const list = await cli(world, world.root, ['net-list', '--all'])
    expect(list.code, list.stderr).toBe(0)
    expect(list.stdout).toContain(NET.name)
  })

  it.skipIf(!findProgram('systemd-socket-activate'))(
    'takes the socket systemd passes it (socket activation: started by the first connection)',
    async () => {
      const activated = join(world.dir, 'activated.sock')
      const child = world.spawn([
        'ip',
        'netns',
        'exec',
        world.host,
        'systemd-socket-activate',
        '-l',
        activated,
        process.execPath,
        HELPER_JS,
        '--serve',
        '--root',
        world.root,
        '--idle-timeout',
        '0'
      ])
      let log = ''
      child.stderr?.setEncoding('utf8').on('data', (d: string) => (log += d))
      await until('systemd-socket-activate listening', () => existsSync(activated))
      const frames = await rawExchange(world, activated, JSON.stringify({ verb: 'status', args: { root: world.root } }))
      expect(frames[0]).toMatchObject({ type: 'hello', service: 'guestnet-helper', root: world.root })
      expect(frames.at(-1)).toMatchObject({ type: 'result', ok: true })
      expect(log).toMatch(/listening on fd 3 \(socket activation\)/)
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    }
  )

  it('exits by itself after its idle timeout (started as `guestnet service`)', async () => {
    const idle = startService(world, world.root, 1, 'cli')
    await until('the second service socket', () => existsSync(socket))
    expect(await idle.exited).toBe(0)
    expect(idle.log()).toMatch(/idle for 1 s, exiting/)
    expect(existsSync(socket)).toBe(false)
  })
})
