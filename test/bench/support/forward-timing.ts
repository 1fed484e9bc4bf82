/**
 * From `net-forward-add` to the first forwarded TCP connection answered: a prober in the internet
 * namespace retries every few ms from before the command starts, and reports when the guest's
 * echo server first answers through the forward. Both clocks are the wall clock of this machine.
 */
import { join } from 'node:path'

import { waitFor } from '../../../src-main/sandbox/wait'
import type { BenchWorld } from './bench-world'
import { guestnet } from './bench-world'
import type { AttachedGuest } from './guest-timing'

const ECHO_SERVER = join(process.cwd(), 'test', 'netns', 'support', 'echo-server.mjs')
const PROBER = join(process.cwd(), 'test', 'bench', 'support', 'tcp-until.mjs')
const HOST4 = '203.0.113.2'

function lines(child: ReturnType<BenchWorld['spawn']>): { text: () => string } {
  let out = ''
  child.stdout?.setEncoding('utf8')
  child.stdout?.on('data', (d: string) => (out += d))
  return { text: () => out }
}

export interface ForwardTimes {
  /** The CLI command alone. */
  commandMs: number[]
  /** From just before the command started to the first answered connection. */
  firstConnectionMs: number[]
}

export async function forwardTimes(
  w: BenchWorld,
  network: string,
  guest: AttachedGuest,
  rounds: number
): Promise<ForwardTimes> {
  if (guest.ip4 === null) throw new Error('the guest has no IPv4 lease to forward to')
  const server = lines(w.spawn(['ip', 'netns', 'exec', guest.ns, process.execPath, ECHO_SERVER, 'tcp', '8022']))
  await waitFor(async () => server.text().includes('ready'), { timeoutMs: 10_000, what: 'the echo server' })
  const out: ForwardTimes = { commandMs: [], firstConnectionMs: [] }
  for (let i = 0; i < rounds; i++) {
    const port = String(2300 + i)
    const prober = lines(w.spawn(['ip', 'netns', 'exec', w.inet, process.execPath, PROBER, HOST4, port]))
    await waitFor(async () => prober.text().includes('ready'), { timeoutMs: 10_000, what: 'the prober' })
    const started = Date.now()
    const add = await guestnet(w, [
      'net-forward-add',
      network,
      '--proto',
      'tcp',
      '--port',
      port,
      '--to',
      guest.ip4,
      '--to-port',
      '8022'
    ])
    await waitFor(async () => /answered \d+/.test(prober.text()), {
      timeoutMs: 10_000,
      what: 'the first forwarded connection'
    })
    const answered = Number(/answered (\d+)/.exec(prober.text())?.[1])
    out.commandMs.push(add.ms)
    out.firstConnectionMs.push(answered - started)
    await guestnet(w, ['net-forward-del', network, '--proto', 'tcp', '--port', port])
  }
  return out
}
