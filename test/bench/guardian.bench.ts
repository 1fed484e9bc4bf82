// The guardian (src-main/helper/guardian/; root only, skipped otherwise): with the warm service
// running in the bench's host namespace, how long from another tool undoing one of a running
// network's objects to guestnet having put it back. Timed by a bash inside the namespace around the
// undo and a loop that checks for the object (so the clock is not this node process's), each round
// on a freshly started network (the guardian's backoff counts undos per start). Namespaces only.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { writeNetworkXml } from '../netns/support/network-xml'
import type { BenchWorld } from './support/bench-world'
import {
  benchEnv,
  benchSkipReason,
  createBenchWorld,
  guestnet,
  HELPER_JS,
  INET4,
  timedRun
} from './support/bench-world'
import { attachTimedGuest } from './support/guest-timing'
import type { Row } from './table'
import { median, printTable } from './table'

const ROUNDS = Number(process.env.GUESTNET_BENCH_GUARD_ROUNDS ?? 5)
const NET = { name: 'default', bridge: 'virbr0', mode: 'nat', ipv4: '192.168.122.1/24' } as const
/** The promise: restored within one second. */
const TARGET_MS = 1000
const PORT = 7777
const TCP_LISTENER = join(process.cwd(), 'test', 'netns', 'support', 'tcp-listener.mjs')

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** bash in the host namespace: `$EPOCHREALTIME` around the undo (`$1`…) and the wait for the object. */
async function timedUndo(w: BenchWorld, script: string, args: readonly string[]): Promise<number> {
  const body = `a=$EPOCHREALTIME; ${script}; b=$EPOCHREALTIME; echo "GN_BENCH_TIME $a $b" >&2`
  const run = await timedRun(
    w.x,
    ['ip', 'netns', 'exec', w.host, 'timeout', '10', 'bash', '-c', body, 'bench', ...args],
    benchEnv()
  )
  const m = /GN_BENCH_TIME ([\d.]+) ([\d.]+)/.exec(run.stderr)
  if (!m || run.code !== 0) throw new Error(`the undo '${script}' did not come back: ${run.stderr.trim()}`)
  return (Number(m[2]) - Number(m[1])) * 1000
}

const FLUSH = 'nft flush ruleset; until nft list table "$1" "$2" >/dev/null 2>&1; do :; done'
const DELETE_TABLE = 'nft delete table "$1" "$2"; until nft list table "$1" "$2" >/dev/null 2>&1; do :; done'
/** The bridge (`$1`) loses its address (`$2`, a CIDR) and gets it back. */
const DELETE_ADDRESS = 'ip address del "$2" dev "$1"; until ip -o address show dev "$1" | grep -qF " $2 "; do :; done'
const FORWARD = 'sysctl -qw net.ipv4.ip_forward=0; until [ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ]; do :; done'
/** A new TCP connection from the guest (`$3`) to the internet's listener (`$4`) through NAT, tried every 50 ms. */
const FLUSH_TO_GUEST =
  'nft flush ruleset; until timeout 0.05 ip netns exec "$1" bash -c \'exec 3<>"/dev/tcp/$0/$1"\' "$2" "$3" 2>/dev/null; do :; done'
const KILL =
  'kill -9 "$1"; until p=$(cat "$2" 2>/dev/null) && [ -n "$p" ] && [ "$p" != "$1" ] && [ -e "/proc/$p" ]; do :; done'

async function main(): Promise<void> {
  const reason = benchSkipReason()
  if (reason) {
    console.log(`\nguardian benchmarks: skipped: ${reason}`)
    return
  }
  const w = await createBenchWorld()
  const socket = join(w.root, 'run', 'guestnet', '.helper.sock')
  const service = w.spawn(['ip', 'netns', 'exec', w.host, process.execPath, HELPER_JS, '--serve', '--root', w.root])
  const exited = new Promise((r) => service.once('exit', r))
  try {
    const deadline = Date.now() + 10_000
    while (!existsSync(socket)) {
      if (Date.now() > deadline) throw new Error('the warm service did not start listening')
      await sleep(20)
    }
    await guestnet(w, ['net-define', await writeNetworkXml(w.dir, NET)])
    const times = {
      flush: [] as number[],
      guest: [] as number[],
      table: [] as number[],
      address: [] as number[],
      forward: [] as number[],
      dnsmasq: [] as number[]
    }
    const listener = w.spawn(['ip', 'netns', 'exec', w.inet, process.execPath, TCP_LISTENER, String(PORT)])
    await new Promise<void>((resolve) => listener.stdout?.once('data', () => resolve()))
    const pidfile = join(w.root, 'run', 'guestnet', NET.name, 'dnsmasq.pid')
    for (let i = 0; i < ROUNDS; i++) {
      await guestnet(w, ['net-start', NET.name])
      // The guardian takes a started network on at its next look (250 ms).
      await sleep(600)
      times.flush.push(await timedUndo(w, FLUSH, ['inet', `guestnet_${NET.name}`]))
      await sleep(300)
      const guest = await attachTimedGuest(w, i + 1, NET.bridge, null)
      times.guest.push(await timedUndo(w, FLUSH_TO_GUEST, [guest.ns, INET4, String(PORT)]))
      await guest.remove()
      await sleep(300)
      times.table.push(await timedUndo(w, DELETE_TABLE, ['inet', `guestnet_${NET.name}`]))
      await sleep(300)
      times.address.push(await timedUndo(w, DELETE_ADDRESS, [NET.bridge, NET.ipv4]))
      await sleep(300)
      times.forward.push(await timedUndo(w, FORWARD, []))
      await sleep(300)
      const pid = readFileSync(pidfile, 'utf8').trim()
      times.dnsmasq.push(await timedUndo(w, KILL, [pid, pidfile]))
      await sleep(300)
      await guestnet(w, ['net-destroy', NET.name])
    }
    const row = (what: string, v: number[]): Row => ({
      what: `${what} (median of ${v.length}, max ${Math.max(...v).toFixed(0)} ms)`,
      value: `${median(v).toFixed(1)} ms`,
      target: `≤ ${TARGET_MS} ms`,
      verdict: Math.max(...v) <= TARGET_MS ? 'ok' : 'MISSED'
    })
    printTable('guardian: from another tool undoing an object to guestnet restoring it (warm service)', [
      row('nft flush ruleset → the network’s table loaded again', times.flush),
      row('nft flush ruleset → a guest’s new TCP connection through NAT works (tried every 50 ms)', times.guest),
      row('nft delete table inet guestnet_default → loaded again', times.table),
      row('ip address del 192.168.122.1/24 dev virbr0 → the address back', times.address),
      row('sysctl net.ipv4.ip_forward=0 → 1 again', times.forward),
      row('dnsmasq killed (kill -9) → a new dnsmasq running', times.dnsmasq)
    ])
  } finally {
    service.kill('SIGTERM')
    await exited
    await w.dispose()
  }
}

main().catch((error: unknown) => {
  console.error(
    `guardian benchmarks failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
  )
  process.exitCode = 1
})
