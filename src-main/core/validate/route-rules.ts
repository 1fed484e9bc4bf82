/**
 * What makes one `<route>` readable on its own, as libvirt's parser judges it: addresses of the
 * route's family (no family means IPv4), a prefix that fits, no host bits in the destination, a
 * metric above 0. The parser refuses such routes (so xml-normalize does too) and the validator runs
 * the same rules on definitions that did not come through the parser.
 */
import type { StaticRoute } from '../model/network'
import { cidrOf, formatCidr } from '../net/cidr'
import type { Family } from '../net/ip'
import { FAMILY_BITS, parseIp } from '../net/ip'
import { printable } from './syntax'

export interface RouteProblem {
  /** Below the route's own path: `address`, `gateway`, `prefix`, `metric`, or '' for the route. */
  field: string
  message: string
  fix: string
}

/** The largest metric the kernel takes (a u32). */
export const MAX_ROUTE_METRIC = 4_294_967_295

function familyNumber(route: StaticRoute): Family {
  return route.family === 'ipv6' ? 6 : 4
}

function addressProblem(route: StaticRoute, key: 'address' | 'gateway'): RouteProblem | null {
  const text = route[key]
  const ip = parseIp(text)
  const want = familyNumber(route)
  const example = want === 6 ? '2001:db8:1::' : '192.168.200.0'
  if (!ip) return { field: key, message: `'${printable(text)}' is not an IP address`, fix: `write e.g. ${example}` }
  if (ip.family === want) return null
  if (ip.family === 6)
    return {
      field: key,
      message: `'${printable(text)}' is an IPv6 address but the route's family is ${route.familyGiven ? 'ipv4' : 'not given (so ipv4)'}`,
      fix: "add family='ipv6' to the <route>, or give IPv4 addresses"
    }
  return {
    field: key,
    message: `'${printable(text)}' is an IPv4 address but the route has family='ipv6'`,
    fix: "give IPv6 addresses, or remove family='ipv6'"
  }
}

export function routeProblems(route: StaticRoute): RouteProblem[] {
  const out: RouteProblem[] = []
  const address = addressProblem(route, 'address')
  // A destination of the other family: that one problem, not its echoes in the gateway and prefix.
  if (address && parseIp(route.address)) return [address]
  const gateway = addressProblem(route, 'gateway')
  if (address) out.push(address)
  if (gateway) out.push(gateway)
  const bits = FAMILY_BITS[familyNumber(route)]
  if (!Number.isSafeInteger(route.prefix) || route.prefix < 0 || route.prefix > bits) {
    out.push({ field: 'prefix', message: `prefix ${route.prefix} is out of range`, fix: `use 0–${bits}` })
  } else if (!address) {
    const ip = parseIp(route.address)
    if (ip) {
      const net = cidrOf(ip, route.prefix)
      if (net.network !== ip.value)
        out.push({
          field: 'address',
          message: `'${printable(route.address)}' has host bits set for prefix ${route.prefix}`,
          fix: `give the network address: ${formatCidr(net).split('/')[0]}`
        })
    }
  }
  if (route.fromNetmask && route.family === 'ipv6')
    out.push({ field: 'netmask', message: 'netmask= is for IPv4 only', fix: "use prefix= for IPv6, e.g. prefix='64'" })
  if (route.metric !== undefined && (route.metric < 1 || route.metric > MAX_ROUTE_METRIC))
    out.push({ field: 'metric', message: `metric ${route.metric} is out of range`, fix: `use 1–${MAX_ROUTE_METRIC}` })
  return out
}
