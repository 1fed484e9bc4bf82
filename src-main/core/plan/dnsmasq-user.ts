/**
 * The account dnsmasq drops to: the `dnsmasq` system user when the dnsmasq package created one
 * (Debian: dnsmasq, primary group nogroup), else nobody/nogroup. Pure: callers pass the text of
 * /etc/passwd and /etc/group.
 */
import type { DnsmasqUser } from './dnsmasq-conf'
import { DEFAULT_DNSMASQ_USER } from './dnsmasq-conf'

/** The `:`-separated rows of /etc/passwd or /etc/group text (comments and blank lines skipped). */
export function userDbRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(':'))
}

export function detectDnsmasqUser(passwd: string, group: string): DnsmasqUser {
  const groups = userDbRows(group)
  const user = userDbRows(passwd).find((f) => f[0] === 'dnsmasq')
  if (user) {
    const primary = groups.find((g) => g[2] === user[3])?.[0]
    if (primary) return { user: 'dnsmasq', group: primary }
  }
  // Fedora has no nogroup: its nobody's group is nobody.
  const hasGroup = (name: string): boolean => groups.some((g) => g[0] === name)
  if (!hasGroup('nogroup') && hasGroup('nobody')) return { user: 'nobody', group: 'nobody' }
  return DEFAULT_DNSMASQ_USER
}
