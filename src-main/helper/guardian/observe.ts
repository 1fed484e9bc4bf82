/**
 * What the guardian finds of a running network (drift.ts compares it with what it wants): the
 * sysctls under /proc/sys, the bridge in /proc/self/net/dev and dnsmasq in /proc (cheap, every
 * tick); the tables, their rules and the bridge's addresses from nft and ip (on events and now and
 * then). Read-only.
 */
import { LAN_SEEN_SET } from '../../core/plan/lan-plan'
import { readdirSync, readFileSync } from 'node:fs'

import { parseIpAddrJson } from '../../core/host/parse-host-facts'
import type { NftTableRef } from '../../core/model/plan'
import { networkPaths } from '../../core/plan/network-paths'
import type { NetworkRecord } from '../../core/plan/network-record'
import { sysctlFile } from '../../core/plan/sysctl-keys'
import type { HelperPaths } from '../../core/store/helper-paths'
import { inspectPidfile } from '../run/dnsmasq-process'
import { execProgram, SYSTEM_PROGRAMS } from '../run/exec-program'
import { zoneOfInterface } from '../run/firewalld-bus'
import { listInterfaces, listNftTables, tableKey } from '../state/live-state'
import type { ObservedNetwork, WantedNetwork } from './drift'

function readSysctl(key: string): string | null {
  try {
    return readFileSync(sysctlFile('/proc/sys', key), 'utf8')
  } catch {
    return null
  }
}

/** A table's rules as text, without what changes by itself (counters, the guests an ipv6='lan' table has seen). */
export function normalizeListing(text: string): string {
  return text
    .replace(/counter packets \d+ bytes \d+/g, 'counter')
    .replace(new RegExp(`(set ${LAN_SEEN_SET} \\{[^}]*?)\\n\\s*elements = \\{[^}]*\\}`, 'g'), '$1')
    .trim()
}

export async function tableListing(t: NftTableRef): Promise<string | null> {
  try {
    return normalizeListing((await execProgram(['nft', 'list', 'table', t.family, t.name])).stdout)
  } catch {
    return null
  }
}

export async function presentTables(): Promise<ReadonlySet<string> | null> {
  try {
    return new Set((await listNftTables()).map(tableKey))
  } catch {
    return null
  }
}

async function bridgeAddresses(bridge: string): Promise<ReadonlySet<string> | null> {
  try {
    const { stdout } = await execProgram(['ip', '-j', 'address', 'show', 'dev', bridge])
    return new Set(parseIpAddrJson(stdout).map((a) => `${a.address}/${a.prefix}`))
  } catch {
    return null
  }
}

export interface ObserveInput {
  wanted: WantedNetwork
  record: NetworkRecord
  paths: HelperPaths
  /** The rules loaded, by table key (what a changed table is told from). */
  baseline: ReadonlyMap<string, string>
  /** Also ask nft and ip (tables, rules, addresses): `tables` is what nft listed this round. */
  full: { tables: ReadonlySet<string> | null } | null
}

/** The ports of `bridge` by their kernel isolation flag (/sys/class/net/BR/brif/PORT/isolated). */
function portFlags(bridge: string): { open: string[]; isolated: string[] } {
  const out: { open: string[]; isolated: string[] } = { open: [], isolated: [] }
  let ports: string[]
  try {
    ports = readdirSync(`/sys/class/net/${bridge}/brif`)
  } catch {
    return out
  }
  for (const p of ports) {
    try {
      const flag = readFileSync(`/sys/class/net/${bridge}/brif/${p}/isolated`, 'utf8').trim()
      ;(flag === '0' ? out.open : out.isolated).push(p)
    } catch {
      // gone meanwhile
    }
  }
  return out
}

export async function observeNetwork(input: ObserveInput): Promise<ObservedNetwork> {
  const { wanted, record, full } = input
  const sysctls = new Map<string, string | null>()
  for (const [key] of [...wanted.hostSysctls, ...wanted.bridgeSysctls]) sysctls.set(key, readSysctl(key))
  const bridge = wanted.bridge !== null && listInterfaces().has(wanted.bridge)
  const dnsmasq =
    record.dnsmasq === null ||
    inspectPidfile(networkPaths(input.paths.plan, record.network).pidfile, record.dnsmasq.startTime).state === 'ours'
  const changedTables = new Set<string>()
  if (full && full.tables)
    for (const t of wanted.tables) {
      const key = tableKey(t)
      const before = input.baseline.get(key)
      if (!full.tables.has(key) || before === undefined) continue
      const now = await tableListing(t)
      if (now !== null && now !== before) changedTables.add(key)
    }
  return {
    tables: full ? full.tables : null,
    changedTables,
    sysctls,
    bridge,
    addresses: full && bridge && wanted.bridge !== null ? await bridgeAddresses(wanted.bridge) : null,
    dnsmasq,
    ...(wanted.isolatePorts && bridge && wanted.bridge !== null
      ? (({ open, isolated }) => ({ openPorts: open, isolatedPorts: isolated }))(portFlags(wanted.bridge))
      : { openPorts: [], isolatedPorts: [] }),
    // On the full look only: three short dbus-send runs.
    ...(full && bridge && wanted.bridge !== null && wanted.zone !== null
      ? { zone: await zoneOfInterface(SYSTEM_PROGRAMS, wanted.bridge).catch(() => undefined) }
      : {})
  }
}
