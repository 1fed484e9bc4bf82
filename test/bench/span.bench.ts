// Throughput between guests on two hosts of a spanning network (docs/several-hosts.md) next to a
// plain veth pair (root only; skipped otherwise). Each "host" namespace gets exactly what guestnet's
// plan makes for the network, minus dnsmasq: the bridge (ip.batch), the nft tables (the VXLAN peer
// filter and the bridge-family rules on the VXLAN port) and the span step's VXLAN port; the two hosts
// are joined by one veth pair (the underlay), and a guest namespace hangs on each bridge at the MTU
// the network announces (1450). iperf3 runs guest → guest, then over the plain pair, in turns.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { buildPlan } from '../../src-main/core/plan/build-plan'
import type { NetworkDef } from '../../src-main/core/model/network'
import { findProgram } from '../netns/support/requirements'
import type { BenchWorld } from './support/bench-world'
import { benchSkipReason, createBenchWorld } from './support/bench-world'
import { iperf, plainVethPair } from './support/iperf'
import type { Row } from './table'
import { median, printTable } from './table'

const ROUNDS = 5
const SECONDS = 2
const underlay = (i: number): string => `198.51.100.${i}`

function spanDef(host: number): NetworkDef {
  return {
    name: 'spanbench',
    forward: { mode: 'nat' },
    bridge: { name: 'virbr14' },
    mac: '52:54:00:14:00:01',
    ips: [{ family: 'ipv4', address: '192.168.140.1', prefix: 24 }],
    guestnet: {
      span: {
        vni: 4242,
        underlay: underlay(host),
        slice: { part: host, of: 2 },
        peers: [{ address: underlay(3 - host) }]
      }
    }
  }
}

/** Runs a plan command inside `ns` (`ip …` as `ip -n NS …`, anything else under `ip netns exec NS`). */
function inNs(ns: string, argv: string[]): string[] {
  return argv[0] === 'ip' ? ['ip', '-n', ns, ...argv.slice(1)] : ['ip', 'netns', 'exec', ns, ...argv]
}

async function spanHost(w: BenchWorld, ns: string, host: number): Promise<void> {
  const plan = buildPlan(spanDef(host), { paths: { runtimeDir: join(w.dir, `run${host}`), stateDir: w.dir } })
  const batch = join(w.dir, `span${host}.batch`)
  const nft = join(w.dir, `span${host}.nft`)
  await writeFile(batch, plan.artifacts['ip.batch'] ?? '')
  await writeFile(nft, plan.nftRuleset)
  await w.x.run(['ip', 'netns', 'exec', ns, 'ip', '-batch', batch])
  await w.x.run(['ip', 'netns', 'exec', ns, 'nft', '-f', nft])
  for (const argv of plan.steps.find((s) => s.id === 'span')?.apply ?? []) await w.x.run(inNs(ns, argv))
}

async function spanPair(w: BenchWorld): Promise<{ a: string; b: string; addressB: string }> {
  const [h1, h2] = [await w.newNamespace('sa'), await w.newNamespace('sb')]
  await w.x.ip(h1, ['link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'lan0', 'netns', h2])
  for (const [i, ns] of [h1, h2].entries()) {
    await w.x.ip(ns, ['addr', 'add', `${underlay(i + 1)}/24`, 'dev', 'lan0'])
    await w.x.ip(ns, ['link', 'set', 'lan0', 'up'])
    await spanHost(w, ns, i + 1)
  }
  const guests: string[] = []
  for (const [i, ns] of [h1, h2].entries()) {
    const g = await w.newNamespace(`s${i}g`)
    await w.x.ip(ns, ['link', 'add', 'gv0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', g])
    await w.x.ip(ns, ['link', 'set', 'gv0', 'master', 'virbr14', 'up'])
    await w.x.ip(g, ['link', 'set', 'eth0', 'mtu', '1450', 'up'])
    await w.x.ip(g, ['addr', 'add', `192.168.140.${10 + i}/24`, 'dev', 'eth0'])
    guests.push(g)
  }
  return { a: guests[0], b: guests[1], addressB: '192.168.140.11' }
}

async function rows(w: BenchWorld): Promise<Row[]> {
  if (!findProgram('iperf3'))
    return [
      { what: 'VXLAN throughput vs plain veth', value: 'skipped: iperf3 is not installed (apt-get install iperf3)' }
    ]
  const span = await spanPair(w)
  const plain = await plainVethPair(w)
  const over: number[] = []
  const ref: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    over.push((await iperf(w, { ns: span.a }, { ns: span.b, address: span.addressB }, SECONDS)).bitsPerSecond)
    ref.push((await iperf(w, { ns: plain.a }, { ns: plain.b, address: plain.addressB }, SECONDS)).bitsPerSecond)
  }
  const gbit = (v: number): string => `${(v / 1e9).toFixed(2)} Gbit/s`
  const ratio = median(over.map((v, i) => v / ref[i]))
  return [
    { what: `guest → guest on another host over VXLAN (iperf3, ${ROUNDS} × ${SECONDS} s)`, value: gbit(median(over)) },
    { what: `plain veth pair (iperf3, ${ROUNDS} × ${SECONDS} s)`, value: gbit(median(ref)) },
    { what: 'VXLAN / plain veth (median of the pairs)', value: ratio.toFixed(3) }
  ]
}

async function main(): Promise<void> {
  const reason = benchSkipReason()
  if (reason) {
    console.log(`\nspan benchmarks: skipped: ${reason}`)
    return
  }
  const w = await createBenchWorld()
  try {
    printTable('span: a network across two hosts over VXLAN', await rows(w))
  } finally {
    await w.dispose()
  }
}

main().catch((error: unknown) => {
  console.error(`span benchmarks failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  process.exitCode = 1
})
