/**
 * A TFTP root as the host really has it, checked before a start changes anything: the validator
 * saw only the text of the path. The real directory (symlinks resolved) must exist, must not be
 * one of the host's or guestnet's own directories (a `--root` moves those), and dnsmasq, which
 * serves it after dropping root, must be able to enter and list it: otherwise dnsmasq exits with
 * "TFTP directory inaccessible" halfway through the start.
 */
import { realpathSync, statSync } from 'node:fs'

import type { NetworkDef } from '../../core/model/network'
import type { DnsmasqUser } from '../../core/plan/dnsmasq-conf'
import type { StoreLayout } from '../../core/store/store-layout'
import { tftpRootProblem } from '../../core/validate/check-netboot'
import { HelperError } from '../../contract/helper-protocol'
import type { Account, DirFacts } from './dnsmasq-reach'
import { accountOf, ancestors, canSearch, firstBlocked } from './dnsmasq-reach'
import type { UserDb } from '../../host/user-db'

export interface TftpRootFacts {
  /** The path with symlinks resolved, or null when it does not exist. */
  real: string | null
  isDirectory: boolean
  /** Every directory from `/` down to `real` itself. */
  dirs: DirFacts[]
}

/** Pure: may `account` list the directory `d` (read and search)? */
export function canList(d: DirFacts, account: Account): boolean {
  if (account.uid === 0) return true
  const bits = d.uid === account.uid ? 0o500 : account.gids.includes(d.gid) ? 0o050 : 0o005
  return (d.mode & bits) === bits
}

/** Pure: why the host's directory cannot be the TFTP root, or null. */
export function tftpRootRefusal(
  root: string,
  facts: TftpRootFacts,
  ownDirs: readonly string[],
  account: Account | null
): string | null {
  if (facts.real === null) return `${root} does not exist`
  if (!facts.isDirectory) return `${root} is not a directory`
  const shown = facts.real === root ? root : `${root} (really ${facts.real})`
  if (facts.real !== root) {
    const problem = tftpRootProblem(facts.real)
    if (problem) return `${shown}: ${problem}`
  }
  const own = ownDirs.find((d) => facts.real === d || facts.real?.startsWith(`${d}/`) || d.startsWith(`${facts.real}/`))
  if (own) return `${shown} would serve guestnet's own files (${own}) to every guest`
  if (account) {
    const blocked = firstBlocked(facts.dirs.slice(0, -1), account)
    if (blocked) return `dnsmasq runs as '${account.name}' and cannot enter ${blocked.path} on the way to ${shown}`
    const self = facts.dirs[facts.dirs.length - 1]
    if (self && !(canSearch(self, account) && canList(self, account)))
      return `dnsmasq runs as '${account.name}' and cannot read ${shown}`
  }
  return null
}

function readFacts(root: string): TftpRootFacts {
  let real: string
  try {
    real = realpathSync(root)
  } catch {
    return { real: null, isDirectory: false, dirs: [] }
  }
  const dirs = ancestors(real).map((path) => {
    const st = statSync(path)
    return { path, mode: st.mode, uid: st.uid, gid: st.gid }
  })
  return { real, isDirectory: statSync(real).isDirectory(), dirs }
}

/** Throws a refusal naming `ip[N].tftp.root` when a TFTP root of `def` cannot be served. */
export function checkTftpRoots(def: NetworkDef, layout: StoreLayout, user: DnsmasqUser, db: UserDb): void {
  const own = [layout.configDir, layout.stateDir, layout.runtimeDir]
  const account = accountOf(db.passwd, db.group, user)
  def.ips.forEach((ip, i) => {
    if (!ip.tftp) return
    const why = tftpRootRefusal(ip.tftp.root, readFacts(ip.tftp.root), own, account)
    if (why) {
      throw new HelperError('INVALID_DEFINITION', `network ${def.name} cannot serve TFTP: ${why}`, {
        field: `ip[${i}].tftp.root`,
        fix: `create the directory, put the boot files in it readable by everyone (chmod -R a+rX), or point <tftp root> elsewhere; only world-readable files are served`
      })
    }
  })
}
