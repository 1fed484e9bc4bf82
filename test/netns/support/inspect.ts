/**
 * What exists in a host namespace and under a guestnet root, so a test can compare before and after:
 * links, nft tables, processes, sysctls, runtime files. Reads only; everything inside our namespaces.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'

import type { NsExec } from '../../../src-main/sandbox/ns-exec'
import { namespacePids } from '../../../src-main/sandbox/topology'

export const WATCHED_SYSCTLS = [
  'net.ipv4.ip_forward',
  'net.ipv6.conf.all.forwarding',
  'net.ipv6.conf.default.forwarding',
  'net.ipv6.conf.all.accept_ra',
  'net.ipv6.conf.uplink0.accept_ra',
  'net.ipv6.conf.uplink0.forwarding'
]

export interface HostSnapshot {
  links: string[]
  bridges: string[]
  /** `family name`, e.g. `inet guestnet_default`. */
  tables: string[]
  /** `pid comm`. */
  processes: string[]
  sysctls: Record<string, string>
  /** Files under ROOT/run/guestnet, relative, except the helper's lock file. */
  runtimeFiles: string[]
}

interface LinkJson {
  ifname: string
  linkinfo?: { info_kind?: string }
}

async function walk(dir: string, base = dir): Promise<string[]> {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return []
  }
  const out: string[] = []
  for (const e of entries) {
    const path = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await walk(path, base)))
    else out.push(relative(base, path))
  }
  return out.sort()
}

async function comm(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim()
  } catch {
    return '?'
  }
}

export async function snapshotHost(x: NsExec, ns: string, root: string): Promise<HostSnapshot> {
  const links = await x.ipJson<LinkJson[]>(ns, ['-d', 'link', 'show'])
  const tables = (await x.inNs(ns, ['nft', 'list', 'tables'])).stdout
    .split('\n')
    .map((l) => l.trim().replace(/^table\s+/, ''))
    .filter(Boolean)
    .sort()
  const pids = await namespacePids(x, ns)
  const processes = await Promise.all(pids.map(async (pid) => `${pid} ${await comm(pid)}`))
  const sysctls: Record<string, string> = {}
  const { stdout } = await x.inNs(ns, ['busybox', 'sysctl', ...WATCHED_SYSCTLS], { allowFail: true })
  for (const line of stdout.split('\n')) {
    const m = /^(\S+)\s*=\s*(.*)$/.exec(line.trim())
    if (m) sysctls[m[1]] = m[2]
  }
  const runtimeFiles = (await walk(join(root, 'run', 'guestnet'))).filter((f) => f !== '.lock')
  return {
    links: links.map((l) => l.ifname).sort(),
    bridges: links
      .filter((l) => l.linkinfo?.info_kind === 'bridge')
      .map((l) => l.ifname)
      .sort(),
    tables,
    processes: processes.sort(),
    sysctls,
    runtimeFiles
  }
}

/** Files that mean a network is (half) running: journals, start intents, pid files. */
export function runningMarkers(files: string[]): string[] {
  return files
    .filter((f) => /(^|\/)[^/]+\.json$/.test(f) && f !== '.sysctl-ledger.json')
    .concat(files.filter((f) => f.endsWith('.pid')))
}

/** Differences from `before` that a stopped (or never started) network must not leave, as readable lines. */
export function leftovers(before: HostSnapshot, after: HostSnapshot): string[] {
  const added = (a: string[], b: string[]): string[] => b.filter((item) => !a.includes(item))
  const out: string[] = []
  for (const l of added(before.links, after.links)) out.push(`link ${l}`)
  for (const t of added(before.tables, after.tables)) out.push(`nft table ${t}`)
  const beforePids = new Set(before.processes)
  for (const p of after.processes) if (!beforePids.has(p)) out.push(`process ${p}`)
  for (const [key, value] of Object.entries(before.sysctls)) {
    if (after.sysctls[key] !== value) out.push(`sysctl ${key} = ${after.sysctls[key]} (was ${value})`)
  }
  for (const f of runningMarkers(added(before.runtimeFiles, after.runtimeFiles))) out.push(`file run/guestnet/${f}`)
  return out
}
