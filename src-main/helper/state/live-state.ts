/**
 * What is really there, in the helper's own network namespace: interfaces (from /proc/self/net/dev
 * and /sys/class/net, which follow the process's namespace, so no program run), their owner marks
 * (alias) and group, nft tables and their comments (`nft list ruleset`), the namespace's identity.
 */
import { readlinkSync } from 'node:fs'

import type { NftTableRef } from '../../core/model/plan'
import { GUESTNET_DEVGROUP } from '../../core/plan/devgroup'
import { readTextOrNull } from '../../store/safe-fs'
import { execProgram } from '../run/exec-program'
import { isInterfaceName } from '../../core/net/ifname'

/** Pure: interface names in the text of /proc/net/dev. */
export function parseProcNetDev(text: string): Set<string> {
  const names = new Set<string>()
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':')
    if (colon > 0) names.add(line.slice(0, colon).trim())
  }
  return names
}

export function listInterfaces(): Set<string> {
  return parseProcNetDev(readTextOrNull('/proc/self/net/dev') ?? '')
}

export interface LinkMark {
  /** In guestnet's interface group (core/plan/devgroup.ts). */
  inGroup: boolean
  /** The interface alias (the owner mark of a guestnet bridge), null when it has none. */
  alias: string | null
}

/** An interface's group and alias from /sys/class/net, or null when there is no such interface. */
export function linkMark(ifname: string, sysClassNet = '/sys/class/net'): LinkMark | null {
  if (!isInterfaceName(ifname)) return null
  const group = readTextOrNull(`${sysClassNet}/${ifname}/netdev_group`, 64)
  if (group === null) return null
  const alias = (readTextOrNull(`${sysClassNet}/${ifname}/ifalias`, 512) ?? '').trim()
  return { inGroup: Number(group.trim()) === GUESTNET_DEVGROUP, alias: alias === '' ? null : alias }
}

export interface TableMark extends NftTableRef {
  handle: number | null
  /** The table's comment (the owner mark of a guestnet table), null when it has none. */
  comment: string | null
}

/** Pure: every table of a `nft -a list ruleset` (or `list table`) listing, with its handle and comment. */
export function parseTableMarks(listing: string): TableMark[] {
  const out: TableMark[] = []
  const lines = listing.split('\n')
  lines.forEach((line, i) => {
    const m = /^table (\S+) (\S+) \{(?: # handle (\d+))?\s*$/.exec(line)
    if (!m) return
    const c = /^\s+comment "([^"]*)"\s*$/.exec(lines[i + 1] ?? '')
    out.push({ family: m[1], name: m[2], handle: m[3] === undefined ? null : Number(m[3]), comment: c ? c[1] : null })
  })
  return out
}

/** Every nft table of the namespace with its owner comment (one `nft` run). */
export async function listTableMarks(): Promise<TableMark[]> {
  const { stdout } = await execProgram(['nft', '-a', 'list', 'ruleset'])
  return parseTableMarks(stdout)
}

/** Pure: the tables in `nft -j list tables` output. */
export function parseNftTables(json: string): NftTableRef[] {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    return []
  }
  const items = (raw as { nftables?: unknown } | null)?.nftables
  if (!Array.isArray(items)) return []
  const out: NftTableRef[] = []
  for (const item of items) {
    const t = (item as { table?: { family?: unknown; name?: unknown } } | null)?.table
    if (t && typeof t.family === 'string' && typeof t.name === 'string') out.push({ family: t.family, name: t.name })
  }
  return out
}

export async function listNftTables(): Promise<NftTableRef[]> {
  const { stdout } = await execProgram(['nft', '-j', 'list', 'tables'])
  return parseNftTables(stdout)
}

export function tableKey(t: NftTableRef): string {
  return `${t.family} ${t.name}`
}

/** Tables guestnet names `guestnet_*` (whose they are, their comment says). */
export function isGuestnetTable(t: NftTableRef): boolean {
  return t.name.startsWith('guestnet_')
}

/** `net:[4026531840]`: the identity of the helper's network namespace. */
export function currentNsId(): string | null {
  try {
    return readlinkSync('/proc/self/ns/net')
  } catch {
    return null
  }
}

/** Pure: interface names in `ip -j link show …` output (a group's links, a bridge's ports). */
export function parseIpLinkNames(json: string): Set<string> {
  try {
    const raw = JSON.parse(json) as unknown
    if (!Array.isArray(raw)) return new Set()
    return new Set(
      raw.flatMap((l) =>
        typeof (l as { ifname?: unknown })?.ifname === 'string' ? [(l as { ifname: string }).ifname] : []
      )
    )
  } catch {
    return new Set()
  }
}
