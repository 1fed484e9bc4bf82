/** Reading networks: the list, one network, its XML, the core's verdict on a draft, and its plan. */
import { findClashes } from '../../core/host/clash'
import type { NetworkDef } from '../../core/model/network'
import type { Problem } from '../../core/model/problem'
import { parseCidr } from '../../core/net/cidr'
import { buildPlan } from '../../core/plan/build-plan'
import { validateNetwork } from '../../core/validate/validate-network'
import { formatNetworkXml } from '../../core/xml/format-network-xml'
import type { ChannelOutput } from '../../contract/ipc-contract'
import type { Handlers } from '../ipc/dispatch'
import { addressPlan } from './address-plan'
import type { ServiceContext } from './service-context'
import { ServiceError } from './service-error'
import { guestCount, summarize } from './summaries'

type ReadChannel =
  'network:list' | 'network:get' | 'network:export-xml' | 'network:validate' | 'network:plan' | 'network:address-plan'

/** The core's verdict, plus the host clashes by themselves so the UI can name interface and route. */
export async function checkDefinition(
  ctx: ServiceContext,
  def: NetworkDef,
  editing: string | undefined
): Promise<ChannelOutput<'network:validate'>> {
  const [entries, facts] = await Promise.all([ctx.okEntries(), ctx.deps.hostFacts()])
  const others = entries.filter((e) => e.name !== (editing ?? '\0')).map((e) => e.def)
  let problems: Problem[] = validateNetwork(def, { others, hostFacts: facts })
  const ignoreDevs = def.bridge?.name ? [def.bridge.name] : []
  const clashes = def.ips.flatMap((ip) => {
    const subnet = parseCidr(`${ip.address}/${ip.prefix}`)
    return subnet ? findClashes(subnet, facts, { ignoreDevs }) : []
  })
  const clashMessages = new Set(clashes.map((c) => c.message))
  problems = problems.filter((p) => !clashMessages.has(p.message))
  return {
    problems,
    clashes: clashes.map((c) => ({ overlaps: c.other, ifname: c.dev ?? null, table: c.table, message: c.message }))
  }
}

export function readHandlers(ctx: ServiceContext): Pick<Handlers, ReadChannel> {
  const { deps, entryOrThrow } = ctx
  return {
    'network:list': async () => {
      const [entries, states] = await Promise.all([deps.store.list(), ctx.liveStates()])
      const seconds = Math.floor(ctx.now() / 1000)
      return Promise.all(
        entries.map(async (e) => summarize(e, states.get(e.name), guestCount(await ctx.leasesOf(e.name), seconds)))
      )
    },

    'network:get': async ({ name }) => {
      const e = await entryOrThrow(name)
      return {
        name,
        def: e.def,
        xml: e.xml,
        autostart: e.autostart,
        status: (await ctx.isActive(name)) ? 'active' : 'inactive'
      }
    },

    'network:export-xml': async ({ name }) => {
      const e = await entryOrThrow(name)
      return { name, xml: e.xml, fileName: `${name}.xml` }
    },

    'network:validate': async ({ def, editing }) => checkDefinition(ctx, def, editing),

    'network:plan': async ({ def }) => {
      const facts = await deps.hostFacts()
      let plan
      try {
        plan = buildPlan(structuredClone(def), { paths: deps.planPaths, hostFacts: facts })
      } catch (e) {
        throw new ServiceError('INVALID_NETWORK', `cannot plan this network: ${(e as Error).message}`)
      }
      return {
        xml: formatNetworkXml(def),
        steps: plan.steps.map((s) => ({ id: s.id, title: s.title, apply: s.apply, rollback: s.rollback })),
        nftRuleset: plan.nftRuleset,
        dnsmasqConf: plan.dnsmasqConf,
        sysctls: plan.sysctls
      }
    },

    'network:address-plan': async (input) => addressPlan(input)
  }
}
