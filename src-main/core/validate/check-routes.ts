/**
 * `<route>`: static routes on the host through a guest that routes. Besides the rules of a single
 * route (route-rules.ts), the gateway must be a guest address in one of this network's own subnets
 * of the route's family (the host reaches it over this bridge), and no route may repeat another.
 */
import type { NetworkDef } from '../model/network'
import { cidrContainsIp, formatCidr } from '../net/cidr'
import { parseIp, sameIp } from '../net/ip'
import type { CheckedIp } from './check-ips'
import type { Problems } from './problems'
import { routeProblems } from './route-rules'
import { printable } from './syntax'

export function checkRoutes(def: NetworkDef, ips: CheckedIp[], p: Problems): void {
  const seen = new Map<string, number>()
  ;(def.routes ?? []).forEach((route, i) => {
    const at = `route[${i}]`
    const own = routeProblems(route)
    for (const problem of own) p.add(problem.field ? `${at}.${problem.field}` : at, problem.message, problem.fix)
    if (own.length > 0) return
    const gateway = parseIp(route.gateway)
    const address = parseIp(route.address)
    if (!gateway || !address) return
    const subnets = ips.filter((ip) => ip.family === gateway.family)
    const home = subnets.find((ip) => cidrContainsIp(ip.subnet, gateway))
    if (!home) {
      const list = subnets.map((ip) => formatCidr(ip.subnet)).join(', ')
      p.add(
        `${at}.gateway`,
        `the gateway ${printable(route.gateway)} is not in any of this network's ${route.family} subnets${list ? ` (${list})` : ''}`,
        "give the address of a guest on this network that routes to the destination (the host reaches the gateway over this network's bridge)"
      )
    } else if (sameIp(home.gateway, gateway)) {
      p.add(
        `${at}.gateway`,
        `the gateway ${printable(route.gateway)} is the host's own address on this bridge`,
        'give the address of the guest that routes to the destination'
      )
    }
    const key = `${formatCidr({ family: address.family, network: address.value, prefix: route.prefix })} ${route.metric ?? 0}`
    const first = seen.get(key)
    if (first !== undefined)
      p.add(
        at,
        `the same route as route[${first}] (${key.split(' ')[0]}${route.metric !== undefined ? `, metric ${route.metric}` : ''})`,
        'remove one of them, or give them different metrics'
      )
    else seen.set(key, i)
  })
}
