/** A guest: a namespace whose eth0 is a veth with its other end a port of a bridge in the host namespace. */
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'

import type { GuestLease, LeaseResult } from '../../../src-main/sandbox/dhcp-client'
import { requestLease } from '../../../src-main/sandbox/dhcp-client'
import type { NsExec } from '../../../src-main/sandbox/ns-exec'
import {
  attachGuest,
  deleteNamespace,
  fetchFrom,
  pingFrom,
  resolveFrom,
  waitForSlaac
} from '../../../src-main/sandbox/topology'
import { untrackNamespace } from './cleanup'
import type { ProbeResult, TcpListener } from './tcp'
import { probeTcp, startTcpListener } from './tcp'

export interface GuestOptions {
  /** The bridge in the host namespace to attach to. */
  bridge: string
  /** Also the DHCP hostname; default `guestN`. */
  name?: string
  mac?: string
}

export interface Guest {
  name: string
  ns: string
  ifname: string
  /** The host-side veth end (a bridge port). */
  hostIf: string
  bridge: string
  /** performance.now() when its link came up. */
  attachedAt: number
  lease?: GuestLease
  /** Runs udhcpc until it has a lease (sending `name` as hostname). */
  dhcp(timeoutMs?: number): Promise<LeaseResult>
  /** Waits for a SLAAC address (in `prefix` when given); `ms` counts from the attach. */
  slaac(prefix?: string, timeoutMs?: number): Promise<{ address: string; ms: number }>
  ping(address: string, timeoutS?: number): Promise<boolean>
  fetch(url: string, timeoutS?: number): Promise<string | null>
  /** Asks the DNS server (default: the one the lease named) for `name`. */
  resolve(name: string, server?: string): Promise<string[]>
  probe(host: string, port: number, timeoutMs?: number): Promise<ProbeResult>
  listen(port: number): Promise<TcpListener>
  remove(): Promise<void>
}

export interface GuestContext {
  x: NsExec
  hostNs: string
  dir: string
  script: string
  newNamespace(role: string): Promise<string>
  spawn(argv: readonly string[]): ChildProcess
}

let guests = 0

export async function addGuestTo(ctx: GuestContext, opts: GuestOptions): Promise<Guest> {
  const n = ++guests
  const name = opts.name ?? `guest${n}`
  const ns = await ctx.newNamespace(`g${n}`)
  const hostIf = `gv${n}`
  const { x } = ctx
  await attachGuest(x, { hostNs: ctx.hostNs, guestNs: ns, hostIf, guestIf: 'eth0', bridge: opts.bridge, mac: opts.mac })
  const guest: Guest = {
    name,
    ns,
    ifname: 'eth0',
    hostIf,
    bridge: opts.bridge,
    attachedAt: performance.now(),
    async dhcp(timeoutMs = 15_000) {
      const leaseFile = join(ctx.dir, `lease-${ns}`)
      const result = await requestLease(x, {
        ns,
        ifname: 'eth0',
        hostname: name,
        scriptPath: ctx.script,
        leaseFile,
        timeoutMs
      })
      guest.lease = result.lease
      return result
    },
    async slaac(prefix, timeoutMs) {
      const address = await waitForSlaac(x, ns, 'eth0', { prefix, timeoutMs })
      return { address, ms: performance.now() - guest.attachedAt }
    },
    ping: (address, timeoutS) => pingFrom(x, ns, address, timeoutS),
    fetch: (url, timeoutS) => fetchFrom(x, ns, url, timeoutS),
    resolve(query, server) {
      const dns = server ?? guest.lease?.dns[0]
      if (!dns) throw new Error(`${name} has no DNS server: get a lease first or pass one`)
      return resolveFrom(x, ns, query, dns)
    },
    probe: (host, port, timeoutMs) => probeTcp(x, ns, host, port, timeoutMs),
    listen: (port) => startTcpListener(ctx.spawn, ns, port),
    async remove() {
      // Deleting the host end first removes the pair at once; a namespace's own teardown is asynchronous
      // in the kernel, so its peer could otherwise still show up in the host for a moment.
      await x.run(['ip', '-n', ctx.hostNs, 'link', 'del', hostIf], { allowFail: true })
      await deleteNamespace(x, ns)
      untrackNamespace(ns)
    }
  }
  return guest
}
