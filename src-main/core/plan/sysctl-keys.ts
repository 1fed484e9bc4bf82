/**
 * Which kernel settings guestnet may change, and to what: the one rule for the helper's sysctl
 * built-ins, whether a network's plan or a doctor fix asks (and whether the request comes from a
 * plan just built or from a journal read back). Host-wide keys: forwarding, proxy_ndp, accept_ra on an uplink,
 * br_netfilter's calls into iptables; a network's own bridge: its IPv6 switches. Values 0, 1 or 2.
 * Pure.
 */
import { IFNAME_CHARS, MAX_IFNAME_LENGTH } from '../net/ifname'

/** An interface name in a key (not `all` or `default`, which stand for every interface). */
const IF = `(?!(?:all|default)[./])[${IFNAME_CHARS.replace('.', '')}]{1,${MAX_IFNAME_LENGTH}}`
const IF_DOTTED = `(?!(?:all|default)/)[${IFNAME_CHARS}]{1,${MAX_IFNAME_LENGTH}}`

const HOST_KEYS: readonly RegExp[] = [
  /^net\.ipv4\.ip_forward$/,
  /^net\.ipv6\.conf\.all\.forwarding$/,
  // ipv6='lan': answer neighbour solicitations for the addresses in the kernel's proxy table (ours only).
  /^net\.ipv6\.conf\.all\.proxy_ndp$/,
  new RegExp(`^net\\.ipv6\\.conf\\.${IF}\\.accept_ra$`),
  new RegExp(`^net/ipv6/conf/${IF_DOTTED}/accept_ra$`),
  /^net\.bridge\.bridge-nf-call-ip6?tables$/
]

const BRIDGE_LEAVES = ['disable_ipv6', 'accept_ra', 'accept_dad'] as const

const VALUE = /^[012]$/

function valueProblem(key: string, value: string): string | null {
  return VALUE.test(value) ? null : `refusing value '${value.slice(0, 20)}' for ${key}: only 0, 1 or 2`
}

function segmentsProblem(key: string): string | null {
  return key.split(/[./]/).some((p) => p === '' || p === '.' || p === '..') ? `refusing sysctl '${key}'` : null
}

/** Why a host-wide sysctl may not be set to `value` (null: it may). */
export function hostSysctlProblem(key: string, value: string): string | null {
  if (!HOST_KEYS.some((re) => re.test(key)) || segmentsProblem(key)) {
    return `refusing sysctl '${key.slice(0, 80)}': guestnet changes only forwarding, proxy_ndp, an uplink's accept_ra and bridge-nf-call keys`
  }
  return valueProblem(key, value)
}

/** Why a bridge sysctl may not be set (null: it may): only `bridge`'s own IPv6 switches. */
export function bridgeSysctlProblem(key: string, value: string, bridge: string | null): string | null {
  const ok =
    bridge !== null &&
    BRIDGE_LEAVES.some((leaf) => key === `net.ipv6.conf.${bridge}.${leaf}` || key === `net/ipv6/conf/${bridge}/${leaf}`)
  if (!ok || segmentsProblem(key)) {
    return `refusing sysctl '${key.slice(0, 80)}': a network may set only its own bridge's ${BRIDGE_LEAVES.join(', ')}`
  }
  return valueProblem(key, value)
}

/** `/proc/sys/...` for a key in dotted form, or in sysctl(8)'s slash form (an interface name with a dot). */
export function sysctlFile(procSys: string, key: string): string {
  return `${procSys}/${key.includes('/') ? key : key.replace(/\./g, '/')}`
}
