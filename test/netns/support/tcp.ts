/** TCP listener and probe (small node scripts run inside a namespace) for reachability and source checks. */
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

import type { NsExec } from '../../../src-main/sandbox/ns-exec'
import { waitFor } from '../../../src-main/sandbox/wait'

const LISTENER = fileURLToPath(new URL('./tcp-listener.mjs', import.meta.url))
const PROBE = fileURLToPath(new URL('./tcp-probe.mjs', import.meta.url))

export interface TcpListener {
  port: number
  /** Peer addresses seen so far, in order (IPv4-mapped addresses shown as plain IPv4). */
  peers: string[]
}

export type ProbeResult =
  | { result: 'connected'; reply: string; local: string }
  | { result: 'refused' }
  | { result: 'timeout' }
  | { result: 'error'; code: string }

export async function startTcpListener(
  spawn: (argv: readonly string[]) => ChildProcess,
  ns: string,
  port: number
): Promise<TcpListener> {
  const child = spawn(['ip', 'netns', 'exec', ns, process.execPath, LISTENER, String(port)])
  const listener: TcpListener = { port, peers: [] }
  let listening = false
  let buffer = ''
  child.stdout?.setEncoding('utf8')
  child.stdout?.on('data', (chunk: string) => {
    buffer += chunk
    let nl: number
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl)
      buffer = buffer.slice(nl + 1)
      const event = JSON.parse(line) as { event: string; address?: string }
      if (event.event === 'listening') listening = true
      if (event.event === 'peer' && event.address) listener.peers.push(event.address)
    }
  })
  await waitFor(async () => listening || child.exitCode !== null, {
    timeoutMs: 10_000,
    what: `the TCP listener in ${ns}`
  })
  if (!listening) throw new Error(`the TCP listener in ${ns} exited with ${String(child.exitCode)}`)
  return listener
}

/** One TCP connection attempt from `ns`. */
export async function probeTcp(
  x: NsExec,
  ns: string,
  host: string,
  port: number,
  timeoutMs = 2000
): Promise<ProbeResult> {
  const { stdout } = await x.inNs(ns, [process.execPath, PROBE, host, String(port), String(timeoutMs)], {
    timeoutMs: timeoutMs + 10_000
  })
  return JSON.parse(stdout.trim()) as ProbeResult
}
