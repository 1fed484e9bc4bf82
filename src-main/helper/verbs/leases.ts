/** leases: the network's dnsmasq lease file, read and parsed (no program run). */
import { cidrContainsIp, cidrOf } from '../../core/net/cidr'
import { parseIp } from '../../core/net/ip'
import type { DhcpLease } from '../parse-leases'
import { parseLeases } from '../parse-leases'
import { readTextSync } from '../state/fast-file'
import type { VerbContext } from './context'
import { nameArg, notFound } from './context'

export interface LeasesValue {
  network: string
  leases: Array<DhcpLease & { prefix: number | null }>
  problems: string[]
}

export async function run(ctx: VerbContext): Promise<LeasesValue> {
  const name = nameArg(ctx)
  const entry = await (await ctx.store()).get(name)
  const text = readTextSync(ctx.deps.paths.leasesFile(name))
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
  return { network: name, leases, problems: parsed.problems }
}
