/** The host's side for the wizard and the dashboard: a free range, and its interfaces and routes. */
import type { Handlers } from '../ipc/dispatch'
import type { ServiceContext } from './service-context'
import { suggest } from './suggest'

export function hostHandlers({ deps }: ServiceContext): Pick<Handlers, 'host:suggest-range' | 'host:facts-summary'> {
  return {
    'host:suggest-range': async ({ purpose }) => {
      const [entries, facts, ula48, pool] = await Promise.all([
        deps.store.list(),
        deps.hostFacts(),
        deps.hostUla(),
        deps.rangePool()
      ])
      const defs = entries.flatMap((e) => (e.state === 'ok' ? [e.def] : []))
      return suggest({ purpose, facts, names: entries.map((e) => e.name), defs, ula48, ...(pool ? { pool } : {}) })
    },

    'host:facts-summary': async () => {
      const facts = await deps.hostFacts()
      const byIf = new Map<string, string[]>()
      for (const a of facts.addresses) byIf.set(a.ifname, [...(byIf.get(a.ifname) ?? []), `${a.address}/${a.prefix}`])
      return {
        interfaces: [...byIf].map(([ifname, addresses]) => ({ ifname, addresses })),
        routes: facts.routes.map((r) => ({ dst: r.dst, dev: r.dev ?? null, table: r.table }))
      }
    }
  }
}
