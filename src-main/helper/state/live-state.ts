/**
 * What is really there, in the helper's own network namespace: interfaces (from
 * /proc/self/net/dev, which follows the process's namespace, so no program run), nft tables
 * (`nft -j list tables`) and the namespace's identity.
 */
import { readlinkSync } from 'node:fs'

import { execProgram } from '../run/exec-program'
import type { NftTableRef } from './journal'
import { readTextNoFollow } from '../../store/safe-fs'

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
  return parseProcNetDev(readTextNoFollow('/proc/self/net/dev') ?? '')
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

/** guestnet owns exactly the nft tables whose name starts with `guestnet_`. */
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
