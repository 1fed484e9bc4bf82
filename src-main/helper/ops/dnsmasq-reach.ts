/**
 * dnsmasq reads its host files (DHCP reservations, addn-hosts) again after dropping root to its own
 * account, and says nothing when it cannot: under a `--root` inside a 0700 directory (mkdtemp, a
 * home directory) every reservation is silently ignored. This finds the first directory on the way
 * that account cannot search, so start can say so. Pure but for `realDnsmasqReach`.
 */
import { statSync } from 'node:fs'
import { dirname } from 'node:path'

import type { DnsmasqUser } from '../../core/plan/dnsmasq-conf'
import { userDbRows } from '../../core/plan/dnsmasq-user'
import type { UserDb } from '../../host/user-db'

export interface DirFacts {
  path: string
  mode: number
  uid: number
  gid: number
}

export interface Account {
  name: string
  uid: number
  /** Primary and supplementary groups. */
  gids: number[]
}

/** `/a/b/c` → `/`, `/a`, `/a/b`, `/a/b/c`. */
export function ancestors(path: string): string[] {
  const out: string[] = []
  for (let p = path; ; p = dirname(p)) {
    out.unshift(p)
    if (p === dirname(p)) return out
  }
}

/** Pure: the account's uid and groups from /etc/passwd and /etc/group, or null when unknown. */
export function accountOf(passwd: string, group: string, who: DnsmasqUser): Account | null {
  const user = userDbRows(passwd).find((f) => f[0] === who.user)
  if (!user) return null
  const groups = userDbRows(group)
  const gids = new Set<number>([Number(user[3])])
  const named = groups.find((g) => g[0] === who.group)
  if (named) gids.add(Number(named[2]))
  for (const g of groups) if ((g[3] ?? '').split(',').includes(who.user)) gids.add(Number(g[2]))
  return { name: who.user, uid: Number(user[2]), gids: [...gids].filter(Number.isInteger) }
}

/** Pure: may `account` search (pass through) directory `d`? Root may always. */
export function canSearch(d: DirFacts, account: Account): boolean {
  if (account.uid === 0) return true
  if (d.uid === account.uid) return (d.mode & 0o100) !== 0
  if (account.gids.includes(d.gid)) return (d.mode & 0o010) !== 0
  return (d.mode & 0o001) !== 0
}

/** Pure: the first directory of `dirs` (root first) the account cannot pass, or null. */
export function firstBlocked(dirs: readonly DirFacts[], account: Account): DirFacts | null {
  return dirs.find((d) => !canSearch(d, account)) ?? null
}

export function blockedMessage(blocked: DirFacts, account: Account, network: string): string {
  const mode = (blocked.mode & 0o7777).toString(8).padStart(4, '0')
  return (
    `dnsmasq runs as '${account.name}' and cannot enter ${blocked.path} (mode ${mode}): network ${network}'s DHCP reservations and host names ` +
    `will be ignored — use a --root under a directory others can enter, or chmod o+x ${blocked.path}`
  )
}

/** The real check for a network whose files live in `dir`; null when all is well or unknowable. */
export function realDnsmasqReach(dir: string, who: DnsmasqUser, network: string, db: UserDb): string | null {
  const account = accountOf(db.passwd, db.group, who)
  if (!account) return null
  const dirs: DirFacts[] = []
  for (const path of ancestors(dir)) {
    try {
      const st = statSync(path)
      dirs.push({ path, mode: st.mode, uid: st.uid, gid: st.gid })
    } catch {
      // Not made yet: the helper makes the rest with mode 0755.
      break
    }
  }
  const blocked = firstBlocked(dirs, account)
  return blocked ? blockedMessage(blocked, account, network) : null
}
