/**
 * The harness's world: the namespace sandbox under its own root, guests attached to networks, and
 * changes to the sandbox host a test needs (a clashing VPN-like route, an interface holding a bridge
 * name). Everything happens inside the sandbox's namespaces, never in the machine's own.
 */
import type { ChildProcess } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'

import { SBX_GUEST_PREFIX, SBX_HOST, SBX_INET, sandboxPaths } from '../../../src-main/sandbox/sandbox-config'
import type { SandboxContext } from '../../../src-main/sandbox/sandbox'
import { sandboxDown, sandboxExec, sandboxUp } from '../../../src-main/sandbox/sandbox'
import { sandboxGuestAdd, sandboxGuestDel } from '../../../src-main/sandbox/sandbox-guests'
import { ensureSandboxDefault, sandboxGuestnet } from '../../../src-main/sandbox/sandbox-networks'
import { waitFor } from '../../../src-main/sandbox/wait'
import type { EnsureDefaultResult } from '../../../src-main/store/network-store'

// The namespace tests' echo pair: the server answers each line with "PEER LINE".
const ECHO_SERVER = join(__dirname, '../../netns/support/echo-server.mjs')
const ECHO_CLIENT = join(__dirname, '../../netns/support/echo-client.mjs')

export interface World {
  root: string
  ctx: SandboxContext
  up(): Promise<void>
  down(): Promise<void>
  addGuest(name: string, network: string): Promise<unknown>
  delGuest(name: string): Promise<boolean>
  /** `ip -j addr` inside a guest's namespace. */
  guestAddresses(name: string): Promise<unknown>
  /** Interface names in the sandbox host. */
  hostLinks(): Promise<string[]>
  /** The addresses (`192.168.122.1/24`) an interface of the sandbox host carries. */
  hostAddresses(dev: string): Promise<string[]>
  /** Defines the default network as the boot path does on first boot (the store's own rule). */
  ensureDefault(): Promise<EnsureDefaultResult>
  /** Adds a route to the sandbox host (`ip route add DST dev DEV table TABLE`). */
  hostRoute(dst: string, dev: string, table: string): Promise<void>
  /** Adds a bridge guestnet did not make to the sandbox host. */
  hostLink(name: string): Promise<void>
  /** Starts a TCP or UDP echo server on `port` in a guest's namespace (ended by stopServers). */
  guestServe(name: string, proto: 'tcp' | 'udp', port: number): Promise<void>
  /** One echo exchange from the sandbox's internet: `{ replies: ['203.0.113.1 one'] }` or `{ error }`. */
  inetSend(proto: 'tcp' | 'udp', host: string, port: number): Promise<unknown>
  /** Ends the echo servers guestServe started (by their PIDs). */
  stopServers(): void
  /** Removes what hostRoute and hostLink added. */
  undoHostChanges(): Promise<void>
}

export function createWorld(root: string, cliScript: string, log: (line: string) => void): World {
  const paths = sandboxPaths(root)
  const x = sandboxExec()
  const ctx: SandboxContext = { paths, x, log, guestnet: sandboxGuestnet(cliScript, paths) }
  const undo: string[][] = []
  const servers: ChildProcess[] = []
  return {
    root: paths.root,
    ctx,
    up: async () => {
      await sandboxUp(ctx)
    },
    down: async () => {
      await sandboxDown(ctx)
      await rm(join(paths.root), { recursive: true, force: true })
    },
    addGuest: (name, network) => sandboxGuestAdd(ctx, { name, network }),
    delGuest: (name) => sandboxGuestDel(ctx, name),
    guestAddresses: (name) => x.ipJson<unknown>(`gn-sbx-g-${name}`, ['addr', 'show']),
    hostLinks: async () => (await x.ipJson<{ ifname: string }[]>(SBX_HOST, ['link', 'show'])).map((l) => l.ifname),
    hostAddresses: async (dev) => {
      const links = await x.ipJson<{ addr_info?: { local: string; prefixlen: number }[] }[]>(SBX_HOST, [
        'addr',
        'show',
        'dev',
        dev
      ])
      return links.flatMap((l) => (l.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`))
    },
    ensureDefault: () => ensureSandboxDefault(x, paths),
    hostRoute: async (dst, dev, table) => {
      await x.ip(SBX_HOST, ['route', 'add', dst, 'dev', dev, 'table', table])
      undo.push(['route', 'del', dst, 'dev', dev, 'table', table])
    },
    hostLink: async (name) => {
      await x.ip(SBX_HOST, ['link', 'add', name, 'type', 'bridge'])
      undo.push(['link', 'del', name])
    },
    guestServe: async (name, proto, port) => {
      const child = x.spawn([
        'ip',
        'netns',
        'exec',
        `${SBX_GUEST_PREFIX}${name}`,
        process.execPath,
        ECHO_SERVER,
        proto,
        String(port)
      ])
      servers.push(child)
      let out = ''
      child.stdout?.setEncoding('utf8')
      child.stdout?.on('data', (d: string) => (out += d))
      await waitFor(async () => out.includes('ready'), {
        timeoutMs: 10_000,
        what: `the ${proto} echo server in ${name}`
      })
    },
    inetSend: async (proto, host, port) => {
      const r = await x.inNs(SBX_INET, [process.execPath, ECHO_CLIENT, proto, host, String(port)], {
        timeoutMs: 15_000
      })
      return JSON.parse(r.stdout.trim()) as unknown
    },
    stopServers: () => {
      for (const child of servers.splice(0)) child.kill('SIGTERM')
    },
    undoHostChanges: async () => {
      for (const args of undo.reverse()) await x.ip(SBX_HOST, args, { allowFail: true })
      undo.length = 0
    }
  }
}
