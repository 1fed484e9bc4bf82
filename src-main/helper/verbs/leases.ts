/** leases: the network's dnsmasq lease file, read and parsed (no program run). */
import type { HelperValue } from '../../contract/helper-protocol'
import { cidrContainsIp, cidrOf } from '../../core/net/cidr'
import { parseIp } from '../../core/net/ip'
import { parseLeases } from '../../core/leases/parse-leases'
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
  return { network: name, leases, problems: parsed.problems }
}
