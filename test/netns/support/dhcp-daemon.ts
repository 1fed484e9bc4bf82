/**
 * A guest's DHCP client that keeps running (busybox udhcpc without -q), as a real guest's would:
 * it renews on SIGUSR1, and its event script logs every event (`bound`, `renew`, `nak`,
 * `deconfig`, `leasefail`) with the address, so a test can follow what the client went through.
 */
import type { ChildProcess } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { UDHCPC_SCRIPT } from '../../../src-main/sandbox/dhcp-client'
import { waitFor } from '../../../src-main/sandbox/wait'
import type { Guest } from './guest'
import type { World } from './world'

export interface DhcpEvent {
  event: string
  ip: string
}

export interface DhcpDaemon {
  child: ChildProcess
  events(): Promise<DhcpEvent[]>
  /** SIGUSR1: udhcpc renews its lease now. */
  renew(): void
  /** Waits for a `bound` or `renew` event after the first `after` events whose address passes `test`. */
  waitBound(test: (ip: string) => boolean, after: number, timeoutMs?: number): Promise<string>
  stop(): void
}

/** The sandbox's udhcpc event script, with each event logged first so the test can wait for it. */
function script(log: string): string {
  const shebang = '#!/bin/sh\n'
  if (!UDHCPC_SCRIPT.startsWith(shebang)) throw new Error('UDHCPC_SCRIPT no longer starts with #!/bin/sh')
  return `${shebang}echo "$1 $ip" >> '${log}'\n${UDHCPC_SCRIPT.slice(shebang.length)}`
}

export async function startDhcpDaemon(world: World, guest: Guest): Promise<DhcpDaemon> {
  const log = join(world.dir, `dhcp-events-${guest.ns}`)
  const path = join(world.dir, `udhcpc-daemon-${guest.ns}.sh`)
  await writeFile(path, script(log), { mode: 0o755 })
  await writeFile(log, '')
  const child = world.spawn([
    'ip',
    'netns',
    'exec',
    guest.ns,
    'busybox',
    'udhcpc',
    '-f',
    '-i',
    guest.ifname,
    '-s',
    path,
    '-x',
    `hostname:${guest.name}`,
    '-T',
    '1',
    '-A',
    '1'
  ])
  const events = async (): Promise<DhcpEvent[]> =>
    (await readFile(log, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [event, ip = ''] = l.split(' ')
        return { event, ip }
      })
  const daemon: DhcpDaemon = {
    child,
    events,
    renew: () => {
      // Our own child, by its pid (`ip netns exec` execs udhcpc in place).
      if (child.pid !== undefined) process.kill(child.pid, 'SIGUSR1')
    },
    waitBound: (test, after, timeoutMs = 20_000) =>
      waitFor(
        async () =>
          (await events()).slice(after).find((e) => (e.event === 'bound' || e.event === 'renew') && test(e.ip))?.ip ??
          null,
        { timeoutMs, intervalMs: 50, what: `a DHCP lease for ${guest.name}` }
      ),
    stop: () => {
      if (child.exitCode === null && child.pid !== undefined) child.kill('SIGTERM')
    }
  }
  return daemon
}
