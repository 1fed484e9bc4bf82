/**
 * dnsmasq's lease file. IPv4 lines: `EXPIRY MAC IP HOSTNAME CLIENT-ID`; after a `duid SERVER-DUID`
 * line, IPv6 lines: `EXPIRY [T]IAID IPV6 HOSTNAME CLIENT-DUID`. `*` means none; an expiry of 0 is
 * an infinite lease. A MAC of another hardware type is written `TYPE-xx:xx…`.
 */
import { canonicalIp, parseIp } from '../net/ip'

export interface DhcpLease {
  family: 'ipv4' | 'ipv6'
  /** Unix seconds; null for an infinite lease. */
  expiry: number | null
  mac: string | null
  /** DHCPv6 identity association id (`T…` for a temporary address). */
  iaid: string | null
  ip: string
  hostname: string | null
  /** DHCPv4 client id, or the DHCPv6 client's DUID. */
  clientId: string | null
}

export interface ParsedLeases {
  leases: DhcpLease[]
  serverDuid: string | null
  /** Lines that could not be read, `line N: why`. */
  problems: string[]
}

const MAC = /^([0-9a-fA-F]{1,2}-)?[0-9a-fA-F]{2}(:[0-9a-fA-F]{2})*$/
const EXPIRY = /^[0-9]{1,12}$/
const IAID = /^T?[0-9]{1,10}$/

const orNone = (field: string | undefined): string | null => (field === undefined || field === '*' ? null : field)

export function parseLeases(text: string): ParsedLeases {
  const leases: DhcpLease[] = []
  const problems: string[] = []
  let serverDuid: string | null = null
  let v6 = false
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (line === '') return
    const f = line.split(/\s+/)
    if (f[0] === 'duid') {
      v6 = true
      serverDuid = orNone(f[1])
      return
    }
    if (f.length < 4 || !EXPIRY.test(f[0])) {
      problems.push(`line ${i + 1}: not a lease line: '${line.slice(0, 80)}'`)
      return
    }
    const ip = parseIp(f[2])
    const family = ip?.family === 6 ? 'ipv6' : 'ipv4'
    if (!ip || (v6 && family !== 'ipv6') || (!v6 && family !== 'ipv4')) {
      problems.push(`line ${i + 1}: '${f[2]}' is not an ${v6 ? 'IPv6' : 'IPv4'} address`)
      return
    }
    const second = f[1]
    if (v6 ? !IAID.test(second) : !(second === '*' || MAC.test(second))) {
      problems.push(`line ${i + 1}: '${second}' is not ${v6 ? 'an IAID' : 'a MAC address'}`)
      return
    }
    const expiry = Number(f[0])
    leases.push({
      family,
      expiry: expiry === 0 ? null : expiry,
      mac: v6 ? null : (orNone(second)?.toLowerCase() ?? null),
      iaid: v6 ? second : null,
      ip: canonicalIp(f[2]) ?? f[2],
      hostname: orNone(f[3]),
      clientId: orNone(f[4])
    })
  })
  return { leases, serverDuid, problems }
}
