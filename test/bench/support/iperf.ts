/**
 * TCP throughput with iperf3 between two of our namespaces: a one-shot server (`-s -1`) bound to one
 * address, a client for a few seconds. Every run is bounded in time; traffic stays inside our
 * namespaces (documentation addresses only).
 */
import type { BenchWorld } from './bench-world'

export interface IperfRun {
  bitsPerSecond: number
}

interface IperfJson {
  end?: { sum_received?: { bits_per_second?: number } }
  error?: string
}

/** Waits for iperf3's "Server listening" line; rejects if it exits first or takes too long. */
function startServer(w: BenchWorld, ns: string, address: string, port: number): Promise<void> {
  const server = w.spawn([
    'ip',
    'netns',
    'exec',
    ns,
    'iperf3',
    '-s',
    '-1',
    '--forceflush',
    '-B',
    address,
    '-p',
    String(port)
  ])
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => {
      server.kill('SIGKILL')
      reject(new Error(`iperf3 server in ${ns} did not start: ${out.trim()}`))
    }, 5000)
    server.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d
      if (out.includes('Server listening')) {
        clearTimeout(timer)
        resolve()
      }
    })
    server.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`iperf3 server in ${ns} exited (${String(code)}) before listening: ${out.trim()}`))
    })
  })
}

let nextPort = 5201

export async function iperf(
  w: BenchWorld,
  client: { ns: string },
  server: { ns: string; address: string },
  seconds: number
): Promise<IperfRun> {
  const port = nextPort++
  await startServer(w, server.ns, server.address, port)
  const run = await w.x.inNs(
    client.ns,
    ['iperf3', '-c', server.address, '-p', String(port), '-t', String(seconds), '-J'],
    {
      allowFail: true,
      timeoutMs: (seconds + 10) * 1000
    }
  )
  let parsed: IperfJson
  try {
    parsed = JSON.parse(run.stdout) as IperfJson
  } catch {
    throw new Error(`iperf3 client in ${client.ns} printed no JSON (exit ${String(run.code)}): ${run.stderr.trim()}`)
  }
  const bps = parsed.end?.sum_received?.bits_per_second
  if (parsed.error || typeof bps !== 'number')
    throw new Error(`iperf3 from ${client.ns} to ${server.address}: ${parsed.error ?? 'no result'}`)
  return { bitsPerSecond: bps }
}

/** Two namespaces joined by one veth pair, no bridge, no NAT: the reference path. */
export async function plainVethPair(w: BenchWorld): Promise<{ a: string; b: string; addressB: string }> {
  const a = await w.newNamespace('pa')
  const b = await w.newNamespace('pb')
  await w.x.ip(a, ['link', 'add', 'vp0', 'type', 'veth', 'peer', 'name', 'vp1', 'netns', b])
  await w.x.ip(a, ['addr', 'add', '198.51.100.1/24', 'dev', 'vp0'])
  await w.x.ip(b, ['addr', 'add', '198.51.100.2/24', 'dev', 'vp1'])
  await w.x.ip(a, ['link', 'set', 'vp0', 'up'])
  await w.x.ip(b, ['link', 'set', 'vp1', 'up'])
  return { a, b, addressB: '198.51.100.2' }
}
