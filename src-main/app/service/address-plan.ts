/** `network:address-plan`: what a typed subnet means (gateway, DHCP range), by the core's rules. */
import { ipv4PlanFor } from '../../core/address/ipv4-plan'
import type { Problem } from '../../core/model/problem'
import { firstIp, formatCidr, parseCidr } from '../../core/net/cidr'
import { addToIp, formatIp } from '../../core/net/ip'
import type { ChannelInput, ChannelOutput } from '../../contract/ipc-contract'

type Out = ChannelOutput<'network:address-plan'>

export function addressPlan(input: ChannelInput<'network:address-plan'>): Out {
  const problems: Problem[] = []
  const out: Out = { ipv4: null, ipv6: null, problems }
  if (input.ipv4 !== undefined) {
    const text = input.ipv4.trim()
    const cidr = text.includes('/') ? parseCidr(text) : null
    if (!cidr || cidr.family !== 4) {
      problems.push({ field: 'ipv4', message: `'${text}' is not an IPv4 range`, fix: 'write it like 192.168.123.0/24' })
    } else {
      try {
        const p = ipv4PlanFor(cidr)
        out.ipv4 = {
          subnet: p.subnet,
          gateway: p.gateway,
          prefix: p.prefix,
          dhcpStart: p.dhcpStart,
          dhcpEnd: p.dhcpEnd
        }
      } catch (e) {
        problems.push({ field: 'ipv4', message: (e as Error).message, fix: 'use a /24, for example' })
      }
    }
  }
  if (input.ipv6 !== undefined) {
    const text = input.ipv6.trim()
    const cidr = text.includes('/') ? parseCidr(text) : null
    if (!cidr || cidr.family !== 6) {
      problems.push({
        field: 'ipv6',
        message: `'${text}' is not an IPv6 prefix`,
        fix: 'write it like 2001:db8:1:2::/64'
      })
    } else if (cidr.prefix !== 64) {
      problems.push({
        field: 'ipv6',
        message: `${formatCidr(cidr)} is a /${cidr.prefix}: guests configure themselves (SLAAC) only in a /64`,
        fix: 'use one /64 of it'
      })
    } else {
      out.ipv6 = { subnet: formatCidr(cidr), gateway: formatIp(addToIp(firstIp(cidr), 1n)), prefix: 64 }
    }
  }
  return out
}
