/** `<route address prefix|netmask gateway [metric] [family]/>` → StaticRoute. */
import type { StaticRoute } from '../model/network'
import { prefixFromNetmask } from '../net/ip'
import { routeProblems } from '../validate/route-rules'
import type { ReadContext } from './read-context'
import type { XmlElement } from './xml-tree'
import { attr } from './xml-tree'

const FAMILIES = { ipv4: 'ipv4', ipv6: 'ipv6' } as const

function readPrefix(el: XmlElement, path: string, ctx: ReadContext): { prefix: number; fromNetmask: boolean } | null {
  const netmask = attr(el, 'netmask')
  if (netmask !== undefined && attr(el, 'prefix') !== undefined) {
    ctx.problem(`${path}.netmask`, 'both netmask= and prefix= are given', 'keep only one of them', el.line)
    return null
  }
  if (netmask !== undefined) {
    const prefix = prefixFromNetmask(netmask)
    if (prefix !== null) return { prefix, fromNetmask: true }
    ctx.problem(`${path}.netmask`, `'${netmask}' is not a valid netmask`, "use e.g. prefix='24'", el.line)
    return null
  }
  if (attr(el, 'prefix') === undefined) {
    ctx.problem(`${path}.prefix`, '<route> needs prefix= (or netmask=)', "add prefix='24'", el.line)
    return null
  }
  const prefix = ctx.uint(el, 'prefix', path, '24')
  return prefix === undefined ? null : { prefix, fromNetmask: false }
}

export function readRoute(el: XmlElement, path: string, ctx: ReadContext): StaticRoute | undefined {
  ctx.checkAttrs(el, path, ['family', 'address', 'prefix', 'netmask', 'gateway', 'metric'])
  ctx.children(el, path, [])
  const given = attr(el, 'family') !== undefined
  const family = given ? ctx.choice(el, 'family', path, FAMILIES) : 'ipv4'
  const address = ctx.required(el, 'address', path, '192.168.200.0')
  const gateway = ctx.required(el, 'gateway', path, '192.168.122.2')
  const prefix = readPrefix(el, path, ctx)
  const metric = ctx.uint(el, 'metric', path, '1')
  if (family === undefined || address === undefined || gateway === undefined || !prefix) return undefined
  if (attr(el, 'metric') !== undefined && metric === undefined) return undefined
  const route: StaticRoute = { family, address, prefix: prefix.prefix, gateway }
  if (given) route.familyGiven = true
  if (prefix.fromNetmask) route.fromNetmask = true
  if (metric !== undefined) route.metric = metric
  const problems = routeProblems(route)
  for (const p of problems) ctx.problem(p.field ? `${path}.${p.field}` : path, p.message, p.fix, el.line)
  return problems.length ? undefined : route
}
