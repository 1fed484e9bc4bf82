/** `<domain>` and `<dns>`: every string here is written into dnsmasq's config or hosts file. */
import type { NetworkDef } from '../model/network'
import { parseIp } from '../net/ip'
import type { Problems } from './problems'
import {
  domainProblem,
  hostnameProblem,
  printable,
  recordNameProblem,
  srvLabelProblem,
  txtValueProblem
} from './syntax'

const DOMAIN_FIX = "use a DNS name made of letters, digits and hyphens, e.g. 'example.lan'"
const HOST_FIX = "use a host name such as 'vm1' or 'vm1.example.lan'"

export function checkDns(def: NetworkDef, p: Problems): void {
  if (def.domain) {
    const problem = domainProblem(def.domain.name)
    if (problem) p.add('domain.name', problem, DOMAIN_FIX)
  }
  const dns = def.dns
  if (!dns) return
  if (dns.enable === false && (dns.forwarders.length || dns.hosts.length || dns.srvs.length || dns.txts.length)) {
    p.add(
      'dns.enable',
      "DNS is turned off (enable='no') but records or forwarders are defined",
      "remove the <dns> records and forwarders, or set enable='yes'"
    )
  }

  dns.forwarders.forEach((fwd, i) => {
    const at = `dns.forwarder[${i}]`
    if (fwd.addr === undefined && fwd.domain === undefined)
      p.add(at, 'a forwarder needs addr= or domain= (or both)', "add addr='192.0.2.53' and/or domain='example.com'")
    if (fwd.addr !== undefined && !parseIp(fwd.addr))
      p.add(
        `${at}.addr`,
        `'${printable(fwd.addr)}' is not an IP address`,
        "write the upstream server's address, e.g. addr='192.0.2.53' (no port)"
      )
    if (fwd.domain !== undefined) {
      const problem = domainProblem(fwd.domain)
      if (problem) p.add(`${at}.domain`, problem, DOMAIN_FIX)
    }
  })

  dns.hosts.forEach((host, i) => {
    const at = `dns.host[${i}]`
    if (!parseIp(host.ip))
      p.add(
        `${at}.ip`,
        `'${printable(host.ip)}' is not an IP address`,
        "write the address the names resolve to, e.g. ip='192.168.122.10'"
      )
    if (host.hostnames.length === 0)
      p.add(at, 'a DNS host needs at least one hostname', 'add <hostname>myhost</hostname>')
    host.hostnames.forEach((name, j) => {
      const problem = hostnameProblem(name)
      if (problem) p.add(`${at}.hostname[${j}]`, problem, HOST_FIX)
    })
  })

  dns.srvs.forEach((srv, i) => {
    const at = `dns.srv[${i}]`
    for (const key of ['service', 'protocol'] as const) {
      const problem = srvLabelProblem(srv[key], key)
      if (problem) p.add(`${at}.${key}`, problem, key === 'service' ? "e.g. service='ldap'" : "e.g. protocol='tcp'")
    }
    if (srv.domain !== undefined) {
      const problem = domainProblem(srv.domain)
      if (problem) p.add(`${at}.domain`, problem, DOMAIN_FIX)
    }
    // RFC 2782: a target of "." says the service is decidedly not available there.
    if (srv.target !== undefined && srv.target !== '.') {
      const problem = hostnameProblem(srv.target)
      if (problem) p.add(`${at}.target`, problem, `${HOST_FIX}, or '.' for "no such service"`)
    }
    for (const key of ['port', 'priority', 'weight'] as const) {
      const value = srv[key]
      if (value !== undefined && (value < 0 || value > 65535))
        p.add(`${at}.${key}`, `${key} ${value} is out of range`, 'use a number from 0 to 65535')
    }
  })

  dns.txts.forEach((txt, i) => {
    const at = `dns.txt[${i}]`
    const nameProblem = recordNameProblem(txt.name)
    if (nameProblem) p.add(`${at}.name`, nameProblem, "use a name such as 'example' or '_info.example.lan'")
    const valueProblem = txtValueProblem(txt.value)
    if (valueProblem)
      p.add(`${at}.value`, valueProblem, 'use plain printable text without quotes, backslashes, commas or #')
  })
}
