/**
 * A throw-away world for one test file: a "host" namespace (where guestnet runs), an "internet"
 * namespace on documentation addresses behind the host's uplink (busybox httpd with a CGI that answers
 * the caller's address, a TCP listener that logs its peers, and a DNS server for `internet.test` that
 * is the host's upstream resolver), guests attached to bridges of the host
 * namespace, and a private guestnet root. Nothing is linked to the machine's own namespace; every
 * command goes through the guard, and everything is registered for cleanup.
 */
import type { ChildProcess } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { writeUdhcpcScript } from '../../../src-main/sandbox/dhcp-client'
import type { NsExec } from '../../../src-main/sandbox/ns-exec'
import { createNsExec } from '../../../src-main/sandbox/ns-exec'
import {
  addNamespace,
  connectUplink,
  fetchFrom,
  httpdArgv,
  INTERNET_NAME,
  internetDnsArgv,
  resolveFrom,
  writeInternetDocroot,
  writeNsResolvConf
} from '../../../src-main/sandbox/topology'
import { waitFor } from '../../../src-main/sandbox/wait'
import { disposeAll, isOurs, PREFIX, sweepLeftovers, trackChild, trackNamespace, trackPath } from './cleanup'
import type { Guest, GuestOptions } from './guest'
import { addGuestTo } from './guest'
import type { GuestnetRun } from './guestnet-cli'
import { runGuestnet } from './guestnet-cli'
import type { TcpListener } from './tcp'
import { startTcpListener } from './tcp'

export const INET4 = '203.0.113.1'
export const HOST4 = '203.0.113.2'
export const INET6 = '2001:db8::1'
export const HOST6 = '2001:db8::2'
export const UPLINK = 'uplink0'
/** The port the internet namespace's TCP listener uses. */
export const INET_TCP_PORT = 7777

export interface World {
  x: NsExec
  /** Private temp dir; guestnet's `--root` is `root` inside it. */
  dir: string
  root: string
  host: string
  inet: string
  /** Logs the address of every peer that connects to INET4/INET6 port INET_TCP_PORT. */
  inetListener: TcpListener
  newNamespace(role: string): Promise<string>
  addGuest(opts: GuestOptions): Promise<Guest>
  /** `guestnet --root ROOT --netns HOST …args` (or another of our namespaces with `netns`). */
  guestnet(
    args: readonly string[],
    opts?: { netns?: string; timeoutMs?: number; env?: Record<string, string>; wrap?: readonly string[] }
  ): Promise<GuestnetRun>
  /** Spawns a long-running guarded command (stdin, stdout and stderr piped); it is killed at dispose. */
  spawn(argv: readonly string[]): ChildProcess
  dispose(): Promise<void>
}

let counter = 0

/** Builds host + internet namespaces with the uplink, httpd and the TCP listener. */
export async function createWorld(): Promise<World> {
  sweepLeftovers()
  try {
    return await buildWorld()
  } catch (error) {
    await disposeAll()
    throw error
  }
}

async function buildWorld(): Promise<World> {
  const x = createNsExec(isOurs)
  const dir = await mkdtemp(join(tmpdir(), PREFIX))
  trackPath(dir)
  const root = join(dir, 'root')
  const script = join(dir, 'udhcpc.sh')
  await writeUdhcpcScript(script)

  const newNamespace = async (role: string): Promise<string> => {
    const name = `${PREFIX}${++counter}${role}`
    trackNamespace(name)
    await addNamespace(x, name)
    return name
  }
  const spawn = (argv: readonly string[]): ChildProcess =>
    trackChild(x.spawn(argv, { stdio: ['pipe', 'pipe', 'pipe'] }))

  const host = await newNamespace('h')
  const inet = await newNamespace('i')
  await connectUplink(x, {
    hostNs: host,
    inetNs: inet,
    hostIf: UPLINK,
    inetIf: 'wan0',
    inet4: `${INET4}/24`,
    host4: `${HOST4}/24`,
    inet6: `${INET6}/64`,
    host6: `${HOST6}/64`
  })
  const docroot = join(dir, 'www')
  await writeInternetDocroot(docroot)
  spawn(httpdArgv(inet, docroot))
  spawn(internetDnsArgv(inet, INET4, INET6))
  // The host's upstream resolver is the internet's DNS (guestnet's dnsmasq reads it), never the machine's.
  await writeNsResolvConf(host, [INET4])
  await waitFor(() => fetchFrom(x, inet, `http://${INET4}/`, 1), {
    timeoutMs: 5000,
    what: 'httpd in the internet namespace'
  })
  await waitFor(async () => (await resolveFrom(x, host, INTERNET_NAME, INET4)).includes(INET4), {
    timeoutMs: 5000,
    what: 'the DNS server in the internet namespace'
  })
  const inetListener = await startTcpListener(spawn, inet, INET_TCP_PORT)

  return {
    x,
    dir,
    root,
    host,
    inet,
    inetListener,
    newNamespace,
    spawn,
    addGuest: (opts) => addGuestTo({ x, hostNs: host, dir, script, newNamespace, spawn }, opts),
    guestnet: (args, opts = {}) =>
      runGuestnet({ root, netns: opts.netns ?? host, args, timeoutMs: opts.timeoutMs, env: opts.env, wrap: opts.wrap }),
    dispose: disposeAll
  }
}
