/**
 * leases: the network's dnsmasq lease file, read and parsed; with `neighbours`, also the running
 * bridge's neighbour table (`ip -j neigh show dev BRIDGE`, a read in the helper's namespace).
 */
import type { HelperValue } from '../../contract/helper-protocol'
import { cidrContainsIp, cidrOf } from '../../core/net/cidr'
import { parseIp } from '../../core/net/ip'
import { parseLeases } from '../../core/leases/parse-leases'
import type { Neighbour } from '../../core/leases/parse-neighbours'
import { parseNeighbours } from '../../core/leases/parse-neighbours'
import { ifnameProblem } from '../../core/validate/syntax'
import { execProgram } from '../run/exec-program'
import { readRecord } from '../state/journal'
import { readTextNoFollow } from '../../store/safe-fs'
import type { VerbContext } from './context'
import { notFound } from './context'

export async function run(ctx: VerbContext<'leases'>): Promise<HelperValue<'leases'>> {
  const name = ctx.args.name
  const entry = await (await ctx.store()).get(name)
  const text = readTextNoFollow(ctx.deps.paths.leasesFile(name))
  if (!entry && text === null) throw notFound(name)
  const parsed = parseLeases(text ?? '')
  const blocks = (entry?.state === 'ok' ? entry.def.ips : []).flatMap((ip) => {
    const addr = parseIp(ip.address)
    return addr ? [{ cidr: cidrOf(addr, ip.prefix), prefix: ip.prefix }] : []
  })
  const leases = parsed.leases.map((l) => {
    const ip = parseIp(l.ip)
    const block = ip ? blocks.find((b) => cidrContainsIp(b.cidr, ip)) : undefined
    return { ...l, prefix: block?.prefix ?? null }
  })
  const value: HelperValue<'leases'> = { network: name, leases, problems: parsed.problems }
  if (ctx.args.neighbours === true) value.neighbours = await neighboursOf(ctx, name)
  return value
}

/** The journal's bridge (the running network's own, or the host bridge it uses); none when it does not run. */
async function neighboursOf(ctx: VerbContext<'leases'>, name: string): Promise<Neighbour[]> {
  const rec = readRecord(ctx.deps.paths.journal(name), { network: name, store: ctx.deps.store })
  const bridge = rec?.ok ? (rec.record.bridge ?? rec.record.hostBridge) : null
  if (!bridge || ifnameProblem(bridge) !== null || !ctx.deps.interfaces().has(bridge)) return []
  try {
    return parseNeighbours((await execProgram(['ip', '-j', 'neigh', 'show', 'dev', bridge])).stdout)
  } catch {
    return []
  }
}
