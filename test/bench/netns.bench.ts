// Namespace benchmarks (root only; skipped otherwise): the CLI's net-start and net-destroy latency,
// a new guest's time from attach to its DHCP lease and to a SLAAC address, and guest-to-internet TCP
// throughput through NAT next to a plain veth pair. All in namespaces made here and removed afterwards.
//
// How: the CLI runs as `ip netns exec HOST node bin/guestnet --root ROOT net-start default` (as root,
// so it acts in-process, no re-exec), timed by a shell inside the namespace like a user's shell, next
// to `node -e 0` timed the same way (the floor every node command pays; these machines' node starts
// slower than the 42 ms the targets assume, so compare the "above the baseline" rows too). The root
// is on a tmpfs, as /run/guestnet is. The same rounds run again with the warm service
// (`guestnet-helper --serve`, src-main/helper/service/) listening on that root, as a packaged system's
// socket-activated guestnet-helper.service would be (libvirt's figures are with virtnetworkd running). Guests are veth ends put on the bridge (the moment a VM's tap
// device joins it) with busybox udhcpc and the kernel's own SLAAC. GUESTNET_BENCH_REPO measures
// another built checkout (before/after); GUESTNET_BENCH_ROUNDS/_GUESTS/_FRESH change the counts.
import { existsSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'

import { writeNetworkXml } from '../netns/support/network-xml'
import { findProgram } from '../netns/support/requirements'
import type { BenchWorld, TimedRun } from './support/bench-world'
import {
  benchEnv,
  benchSkipReason,
  createBenchWorld,
  guestnet,
  HELPER_JS,
  INET4,
  timedInNs,
  timedRun
} from './support/bench-world'
import type { NetworkDef } from '../../src-main/core/model/network'
import type { AttachedGuest } from './support/guest-timing'
import type { ApplyCost } from './support/wizard-apply'
import { wizardApplyCost } from './support/wizard-apply'
import { attachTimedGuest } from './support/guest-timing'
import { iperf, plainVethPair } from './support/iperf'
import { forwardTimes } from './support/forward-timing'
import type { Row } from './table'
import { median, printTable } from './table'

/**
 * libvirt 9.0's virsh net-start / net-destroy of its default network on this machine kind, with
 * virtnetworkd running (median of 15, measured side by side for the privileged-boundary issue; libvirt
 * cannot run here without changing the machine's own namespace). Targets: warm start ≤ 0.5×, one-shot
 * start ≤ 0.8×, destroy ≤ 0.25× either way.
 */
const LIBVIRT = { start: 150, destroy: 426 } as const

const ROUNDS = Number(process.env.GUESTNET_BENCH_ROUNDS ?? 20)
const PHASE_ROUNDS = 10
const GUESTS = Number(process.env.GUESTNET_BENCH_GUESTS ?? 6)
const FRESH_ROUNDS = Number(process.env.GUESTNET_BENCH_FRESH ?? 4)
const IPERF_SECONDS = 2
const IPERF_ROUNDS = 5
const FORWARD_ROUNDS = 5
const NET = {
  name: 'default',
  bridge: 'virbr0',
  mode: 'nat',
  ipv4: '192.168.122.1/24',
  ipv6: 'fd42:b3:0:1::1/64'
} as const
const PREFIX6 = 'fd42:b3:0:1::/64'

const ms = (v: number): string => `${v.toFixed(1)} ms`
const s = (v: number | null): string => (v === null ? 'n/a' : `${(v / 1000).toFixed(2)} s`)
const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED')

/** `timing (ms since process start): a=1.0 b=2.5` → {a: 1, b: 2.5}. */
function parseTiming(stderr: string): Map<string, number> {
  const out = new Map<string, number>()
  const line = stderr.split('\n').find((l) => l.startsWith('timing (ms since process start):'))
  for (const m of (line ?? '').matchAll(/([\w+-]+)=([\d.]+)/g)) out.set(m[1], Number(m[2]))
  return out
}

function phaseRows(runs: TimedRun[], label: string): Row[] {
  const byKey = new Map<string, number[]>()
  for (const r of runs) for (const [k, v] of parseTiming(r.stderr)) byKey.set(k, [...(byKey.get(k) ?? []), v])
  const rows: Row[] = [...byKey].map(([k, v]) => ({ what: `${label}: ${k}`, value: ms(median(v)) }))
  rows.push({
    what: `${label}: done (the whole command, as a shell times it)`,
    value: ms(median(runs.map((r) => r.ms)))
  })
  return rows
}

interface Rounds {
  node0: number[]
  starts: number[]
  stops: number[]
  startRuns: TimedRun[]
  stopRuns: TimedRun[]
}

async function rounds(w: BenchWorld): Promise<Rounds> {
  for (let i = 0; i < 3; i++) {
    await guestnet(w, ['net-start', NET.name])
    await guestnet(w, ['net-destroy', NET.name])
  }
  const r: Rounds = { node0: [], starts: [], stops: [], startRuns: [], stopRuns: [] }
  for (let i = 0; i < ROUNDS; i++) {
    r.node0.push((await timedInNs(w, w.host, [process.execPath, '-e', '0'], benchEnv())).ms)
    r.starts.push((await guestnet(w, ['net-start', NET.name])).ms)
    r.stops.push((await guestnet(w, ['net-destroy', NET.name])).ms)
  }
  for (let i = 0; i < PHASE_ROUNDS; i++) {
    r.startRuns.push(await guestnet(w, ['net-start', NET.name], { GUESTNET_TIMING: '1' }))
    r.stopRuns.push(await guestnet(w, ['net-destroy', NET.name], { GUESTNET_TIMING: '1' }))
  }
  return r
}

/** `guestnet-helper --serve` in the host namespace on the bench's root, until the returned stop. */
async function withService<T>(w: BenchWorld, fn: () => Promise<T>): Promise<T> {
  const socket = join(w.root, 'run', 'guestnet', '.helper.sock')
  const child = w.spawn([
    'ip',
    'netns',
    'exec',
    w.host,
    process.execPath,
    HELPER_JS,
    '--serve',
    '--root',
    w.root,
    '--idle-timeout',
    '0'
  ])
  const exited = new Promise((r) => child.once('exit', r))
  const deadline = Date.now() + 10_000
  while (!existsSync(socket)) {
    if (Date.now() > deadline) throw new Error('the warm service did not start listening')
    await new Promise((r) => setTimeout(r, 20))
  }
  try {
    return await fn()
  } finally {
    child.kill('SIGTERM')
    await exited
  }
}

async function latency(w: BenchWorld): Promise<{ rows: Row[]; phases: Row[] }> {
  const file = await writeNetworkXml(w.dir, NET)
  await guestnet(w, ['net-define', file])
  const oneShot = await rounds(w)
  const warm = await withService(w, () => rounds(w))
  const base = median(oneShot.node0)
  const row = (what: string, v: number, target: number, compare: string): Row => ({
    what,
    value: ms(v),
    target: `≤ ${Math.round(target)} ms`,
    verdict: verdict(v <= target),
    compare
  })
  const startOne = median(oneShot.starts)
  const stopOne = median(oneShot.stops)
  const startWarm = median(warm.starts)
  const stopWarm = median(warm.stops)
  return {
    rows: [
      row(
        `CLI net-start, one-shot helper in the CLI (median of ${ROUNDS})`,
        startOne,
        LIBVIRT.start * 0.8,
        ms(LIBVIRT.start)
      ),
      row(
        `CLI net-destroy, one-shot helper in the CLI (median of ${ROUNDS})`,
        stopOne,
        LIBVIRT.destroy * 0.25,
        ms(LIBVIRT.destroy)
      ),
      row(
        `CLI net-start, warm service (guestnet-helper --serve) running`,
        startWarm,
        LIBVIRT.start * 0.5,
        ms(LIBVIRT.start)
      ),
      row(`CLI net-destroy, warm service running`, stopWarm, LIBVIRT.destroy * 0.25, `${LIBVIRT.destroy} ms`),
      { what: 'node -e 0, same conditions (baseline)', value: ms(base) },
      {
        what: 'net-start above the baseline (one-shot / warm service)',
        value: `${ms(startOne - base)} / ${ms(startWarm - median(warm.node0))}`
      },
      {
        what: 'net-destroy above the baseline (one-shot / warm service)',
        value: `${ms(stopOne - base)} / ${ms(stopWarm - median(warm.node0))}`
      }
    ],
    phases: [
      ...phaseRows(oneShot.startRuns, 'net-start'),
      ...phaseRows(oneShot.stopRuns, 'net-destroy'),
      ...phaseRows(warm.startRuns, 'net-start via the service'),
      ...phaseRows(warm.stopRuns, 'net-destroy via the service')
    ]
  }
}

interface Picked {
  value: number | null
  missing: number
}

function pick(all: readonly AttachedGuest[], f: (g: AttachedGuest) => number | null): Picked {
  const v = all.map(f).filter((x): x is number => x !== null)
  return { value: v.length ? median(v) : null, missing: all.length - v.length }
}

function guestRows(label: string, all: readonly AttachedGuest[], first: boolean): Row[] {
  const n = all.length
  if (process.env.GUESTNET_BENCH_VERBOSE === '1')
    for (const g of all) console.error(`${label} ${g.ns}: ${JSON.stringify(g.times)}`)
  const note = (p: Picked): string => s(p.value) + (p.missing > 0 ? ` (${p.missing} of ${n} never)` : '')
  const lease = pick(all, (g) => g.times.leaseMs)
  const tentative = pick(all, (g) => g.times.slaacTentativeMs)
  const usable = pick(all, (g) => g.times.slaacUsableMs)
  const ll = pick(all, (g) => g.times.linkLocalMs)
  const ok = (p: Picked, limit: number): string => verdict(p.value !== null && p.value <= limit)
  return [
    {
      what: `${label}: attach → DHCP lease (median of ${n})`,
      value: note(lease),
      target: '≤ 0.7 s',
      verdict: ok(lease, 700),
      ...(first ? { compare: '7.3 s' } : {})
    },
    {
      what: `${label}: attach → SLAAC address assigned (tentative)`,
      value: note(tentative),
      target: '≤ 1.8 s',
      verdict: ok(tentative, 1800),
      ...(first ? { compare: '5.9 s' } : {})
    },
    {
      what: '  … that address usable (its DAD, in the guest, done)',
      value: note(usable),
      target: '≤ 1.8 s',
      verdict: ok(usable, 1800)
    },
    { what: '  … the guest’s link-local DAD done (then it solicits)', value: note(ll) }
  ]
}

/**
 * New guests, timed from their attach: each first guest of a freshly started network (rounds of
 * start, one guest, destroy), then guests joining a network that already runs. The last of those
 * stays for the throughput runs.
 */
async function guests(w: BenchWorld): Promise<{ rows: Row[]; keep: AttachedGuest }> {
  const firsts: AttachedGuest[] = []
  for (let i = 1; i <= FRESH_ROUNDS; i++) {
    await guestnet(w, ['net-start', NET.name])
    const g = await attachTimedGuest(w, i, NET.bridge, PREFIX6)
    firsts.push(g)
    await g.remove()
    await guestnet(w, ['net-destroy', NET.name])
  }
  await guestnet(w, ['net-start', NET.name])
  // Let the network settle past its first advertisements, as a network a VM joins usually has.
  await new Promise((r) => setTimeout(r, 3000))
  const joiners: AttachedGuest[] = []
  for (let i = 1; i <= GUESTS; i++) joiners.push(await attachTimedGuest(w, FRESH_ROUNDS + i, NET.bridge, PREFIX6))
  const keep = joiners[joiners.length - 1]
  const rsra = await routerAnswerMs(w, keep.ns)
  for (const g of joiners.slice(0, -1)) await g.remove()
  return {
    keep,
    rows: [
      ...guestRows('first guest of a new network', firsts, true),
      ...guestRows('guest joining a running network', joiners, false),
      { what: 'router solicitation → advertisement (rdisc6, median of 5)', value: rsra === null ? 'n/a' : ms(rsra) }
    ]
  }
}

/** How fast the network answers a router solicitation: rdisc6 from a guest, minus rdisc6's own start. */
async function routerAnswerMs(w: BenchWorld, ns: string): Promise<number | null> {
  if (!findProgram('rdisc6')) return null
  const times: number[] = []
  for (let i = 0; i < 5; i++) {
    const r = await timedRun(w.x, ['ip', 'netns', 'exec', ns, 'rdisc6', '-1', '-w', '2000', 'eth0'], benchEnv())
    const bare = await timedRun(w.x, ['ip', 'netns', 'exec', ns, 'rdisc6', '-V'], benchEnv())
    if (r.code === 0) times.push(Math.max(0, r.ms - bare.ms))
  }
  return times.length ? median(times) : null
}

async function throughput(w: BenchWorld, guest: AttachedGuest): Promise<Row[]> {
  if (!findProgram('iperf3'))
    return [
      { what: 'NAT throughput vs plain veth', value: 'skipped: iperf3 is not installed (apt-get install iperf3)' }
    ]
  const plain = await plainVethPair(w)
  const nat: number[] = []
  const ref: number[] = []
  for (let i = 0; i < IPERF_ROUNDS; i++) {
    nat.push((await iperf(w, { ns: guest.ns }, { ns: w.inet, address: INET4 }, IPERF_SECONDS)).bitsPerSecond)
    ref.push((await iperf(w, { ns: plain.a }, { ns: plain.b, address: plain.addressB }, IPERF_SECONDS)).bitsPerSecond)
  }
  const gbit = (v: number): string => `${(v / 1e9).toFixed(2)} Gbit/s`
  // Each NAT run next to the plain run right after it: the ratio of a pair is measured under the
  // same load, so other work on the machine moves both; the median of the pairs is reported.
  const ratio = median(nat.map((v, i) => v / ref[i]))
  return [
    { what: `guest → internet through NAT (iperf3, ${IPERF_ROUNDS} × ${IPERF_SECONDS} s)`, value: gbit(median(nat)) },
    { what: `plain veth pair, no NAT (iperf3, ${IPERF_ROUNDS} × ${IPERF_SECONDS} s)`, value: gbit(median(ref)) },
    {
      what: 'NAT / plain veth (median of the pairs)',
      value: ratio.toFixed(3),
      target: '≥ 0.95',
      verdict: verdict(ratio >= 0.95),
      compare: '0.82'
    }
  ]
}

/** The desktop app's wizard apply through its real handlers: helper processes and password prompts. */
async function applyRows(w: BenchWorld): Promise<Row[]> {
  const def: NetworkDef = {
    name: 'wizard',
    forward: { mode: 'nat' },
    bridge: { name: 'virbr9', stp: false, delay: 0 },
    ips: [
      {
        family: 'ipv4',
        address: '192.168.129.1',
        prefix: 24,
        dhcp: { ranges: [{ start: '192.168.129.10', end: '192.168.129.99' }], hosts: [] }
      },
      { family: 'ipv6', address: 'fd42:b3:0:9::1', prefix: 64 }
    ]
  }
  const runs: ApplyCost[] = []
  for (let i = 0; i < 3; i++) runs.push(await wizardApplyCost(w, def))
  const last = runs[runs.length - 1]
  return [
    {
      what: 'wizard apply: helper processes (create + autostart + start)',
      value: String(last.processes),
      target: '1',
      verdict: verdict(last.processes === 1),
      compare: '6–8 before'
    },
    {
      what: 'wizard apply: pkexec password prompts',
      value: String(last.prompts),
      target: '1',
      verdict: verdict(last.prompts === 1)
    },
    { what: 'wizard apply: time in the handler (median of 3)', value: ms(median(runs.map((r) => r.ms))) }
  ]
}

async function main(): Promise<void> {
  const reason = benchSkipReason()
  if (reason) {
    console.log(`\nnetns benchmarks: skipped: ${reason}`)
    return
  }
  const load = loadavg()[0]
  const w = await createBenchWorld()
  try {
    const lat = await latency(w)
    const apply = await applyRows(w)
    const g = await guests(w)
    const tp = await throughput(w, g.keep)
    const fw = await forwardTimes(w, NET.name, g.keep, FORWARD_ROUNDS)
    const forwards: Row[] = [
      { what: `net-forward-add (CLI, live, median of ${FORWARD_ROUNDS})`, value: ms(median(fw.commandMs)) },
      {
        what: 'net-forward-add → first forwarded TCP connection from the internet answered',
        value: ms(median(fw.firstConnectionMs))
      }
    ]
    await guestnet(w, ['net-destroy', NET.name])
    printTable(
      `netns: guestnet in network namespaces (load average ${load.toFixed(2)} at start)`,
      [...lat.rows, ...apply, ...g.rows, ...tp, ...forwards],
      { compareHeader: 'libvirt 9.0' }
    )
    printTable('netns: phases with GUESTNET_TIMING=1 (ms since process start, median)', lat.phases)
  } finally {
    await w.dispose()
  }
}

main().catch((error: unknown) => {
  console.error(`netns benchmarks failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  process.exitCode = 1
})
